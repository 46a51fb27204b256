import { judge } from '../../src/judge.js'
import type { KeyRecord } from '../../src/model.js'
import { buildReport } from '../../src/report.js'
import { renderSummary } from '../../src/summary.js'
import { makeInventory, NOW, POLICY } from './keys.js'

/** Judges the keys with the test policy and clock, and renders the report and the summary. */
export function render(
  keys: KeyRecord[],
  extra: Parameters<typeof makeInventory>[1] = {},
  budgetBytes?: number
) {
  const inventory = makeInventory(keys, extra)
  const rows = judge(inventory, POLICY, NOW)
  const report = buildReport(inventory, rows, POLICY, NOW, false)
  const markdown = renderSummary({
    report,
    rows,
    policy: POLICY,
    now: NOW,
    revealKeyIds: false,
    reportPath: '/tmp/report.json',
    seconds: 1.25,
    budgetBytes
  })
  return { inventory, rows, report, markdown }
}

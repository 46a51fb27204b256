import { describe, expect, it } from '@jest/globals'
import type { AccountAudit } from '../src/account.js'
import { parseConfig } from '../src/config.js'
import { judge } from '../src/judge.js'
import type { KeyRecord } from '../src/model.js'
import { buildCombinedReport, renderManySummary, type AccountOutcome } from '../src/multi.js'
import { buildReport } from '../src/report.js'
import { byteLength, renderSummary, SUMMARY_LIMIT_BYTES } from '../src/summary.js'
import { makeInventory, makeKey, NOW, POLICY } from './helpers/keys.js'

/** 5,000 users, 7,500 keys, 800 of them violations, with long user names and paths. */
function bigAccount(accountId: string): AccountAudit {
  const keys: KeyRecord[] = []
  for (let u = 0; u < 5000; u++) {
    const user = `service-account-with-a-long-name-${accountId}-${String(u).padStart(4, '0')}`
    const userPath = '/team/platform/service/'
    const count = u % 2 === 0 ? 2 : 1
    for (let k = 0; k < count; k++) {
      const violation = keys.length < 800
      keys.push(
        makeKey({
          user,
          userPath,
          ageDays: violation ? 200 + (u % 300) : 10,
          lastUsedDaysAgo: violation ? null : 1
        })
      )
    }
  }
  const inventory = makeInventory(keys, { accountId })
  // Two-key users are a separate rule; here only age and idle count.
  const policy = { ...POLICY, multipleActiveKeys: 'off' as const }
  const rows = judge(inventory, policy, NOW)
  const report = buildReport(inventory, rows, policy, NOW, false)
  return {
    accountId,
    inventory,
    rows,
    report,
    reportPath: `/tmp/${accountId}.json`,
    reportWriteError: null
  }
}

describe('output at scale', () => {
  it('5,000 users with 800 violations: every violation in a summary under 1 MiB, every key in the report', () => {
    const audit = bigAccount('123456789012')
    expect(audit.report.totals.violation).toBe(800)
    expect(audit.report.keys).toHaveLength(7500)
    const markdown = renderSummary({
      report: audit.report,
      rows: audit.rows,
      policy: POLICY,
      now: NOW,
      revealKeyIds: false,
      reportPath: audit.reportPath,
      seconds: 130
    })
    expect(byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    expect(markdown.match(/^\| service-account.+older than 90 days/gm)).toHaveLength(800)
  })

  it('keeps many accounts’ sections within one 1 MiB summary, with a line per account', () => {
    const config = parseConfig(() => '')
    const outcomes: AccountOutcome[] = ['111111111111', '222222222222', '333333333333'].map(id => ({
      accountId: id,
      audit: bigAccount(id),
      error: null
    }))
    outcomes.push({ accountId: '444444444444', audit: null, error: 'Could not assume …' })
    const markdown = renderManySummary(outcomes, config, NOW, 300, '/tmp/all.json')
    expect(byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    for (const id of ['111111111111', '222222222222', '333333333333']) {
      expect(markdown).toContain(
        `| [${id}](#account-${id}) (acme-prod) | ❌ 800 keys break policy | 5000 | 7500 | 800 | 0 | 0 |`
      )
      expect(markdown).toContain(`<a id="account-${id}"></a>`)
    }
    expect(markdown).toContain(
      '| 444444444444 | ❌ error: Could not assume … | — | — | — | — | 1 |'
    )
    expect(markdown).toContain('| **Total** | | **15000** | **22500** | **2400** | **0** | **1** |')
    expect(markdown).toContain('see the report file')
    const combined = buildCombinedReport(outcomes, NOW)
    expect(combined.accounts.map(a => a.keys.length)).toEqual([7500, 7500, 7500])
    expect(combined.failedAccounts).toEqual([
      { account: '444444444444', error: 'Could not assume …' }
    ])
    expect(combined.complete).toBe(false)
  })

  it('keeps a summary of 1,000 small accounts under 1 MiB: every totals line, then as many sections as fit', () => {
    const config = parseConfig(() => '')
    const outcomes: AccountOutcome[] = Array.from({ length: 1000 }, (_, i) => {
      const accountId = String(100000000000 + i)
      const keys = [
        makeKey({ user: 'ci', ageDays: 200, lastUsedDaysAgo: 1 }),
        makeKey({ user: 'ops', ageDays: 5, lastUsedDaysAgo: 1 })
      ]
      const inventory = makeInventory(keys, { accountId })
      const rows = judge(inventory, POLICY, NOW)
      const report = buildReport(inventory, rows, POLICY, NOW, false)
      return {
        accountId,
        audit: {
          accountId,
          inventory,
          rows,
          report,
          reportPath: `/tmp/${accountId}.json`,
          reportWriteError: null
        },
        error: null
      }
    })
    const markdown = renderManySummary(outcomes, config, NOW, 60, '/tmp/all.json')
    expect(byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    expect(markdown.match(/^\| \[\d{12}\]\(#account-\d{12}\)/gm)).toHaveLength(1000)
    expect(markdown).toMatch(
      /_…and \d+ more account sections not shown here \(the summary is limited to 1 MiB\): see the combined report._/
    )
  })
})

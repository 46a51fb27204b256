/**
 * last-used-source api vs credential-report on the same account under the same IAM throttle:
 * IAM calls, wall time, and whether both modes gave every key the same verdict. It runs the
 * bundle (dist/index.js) against the emulator, as the runner would.
 *
 *   npm run build:tools && node build/scripts/bench-credential-report.js [--quick]
 */
import { pathToFileURL } from 'node:url'
import { generateAccount, type ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator } from '../emulator/server.js'
import { runAction } from './run-action.js'

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/iam-access-key-gate`
/** The same for both modes: a token bucket over the account's IAM calls, plus latency. */
export const BENCH_THROTTLE = { rate: 100, burst: 20 }
export const BENCH_LATENCY_MS = 100
/** The issue's bar: at least this many times fewer IAM calls in credential-report mode. */
export const REQUIRED_RATIO = 2.5

export interface CredentialReportBenchRow {
  readonly mode: 'api' | 'credential-report'
  readonly users: number
  readonly keys: number
  /** Keys with verdict ok, as a share of all keys. */
  readonly withinPolicy: number
  /** IAM requests that succeeded (the calls the audit needed). */
  readonly calls: number
  /** IAM requests answered Throttling (retried). */
  readonly throttled: number
  readonly byAction: Record<string, number>
  readonly seconds: number
  /** From the first IAM request to the last: the part the throttle paces. */
  readonly iamSeconds: number
  readonly exitCode: number | null
}

interface ReportShape {
  complete: boolean
  totals: Record<string, number>
  keys: Array<{ user: string; accessKeyId: string | null; verdict: string; reasons: string[] }>
}

/** The account of the issue: half the users without a key, nine keys in ten within policy. */
export function benchAccount(users: number): ScenarioAccount {
  return generateAccount({
    id: ACCOUNT,
    users,
    seed: 6,
    noKeyShare: 0.5,
    inactiveShare: 0,
    violationShare: 0.1,
    neverUsedShare: 0,
    throttle: BENCH_THROTTLE
  })
}

async function runMode(
  account: ScenarioAccount,
  mode: CredentialReportBenchRow['mode']
): Promise<{ row: CredentialReportBenchRow; verdicts: Map<string, string> }> {
  const emu = await startEmulator({ accounts: [account], latencyMs: BENCH_LATENCY_MS })
  try {
    const started = performance.now()
    const run = await runAction({
      env: emu.env(),
      timeoutMs: 900_000,
      inputs: {
        'role-to-assume': ROLE,
        'reveal-key-ids': 'true',
        'fail-on-violation': 'false',
        'last-used-source': mode
      }
    })
    const seconds = (performance.now() - started) / 1000
    const report = run.report as ReportShape | undefined
    if (!report)
      throw new Error(`${mode}: no report (exit ${run.code}): ${run.stdout.slice(-2000)}`)
    const iam = emu.requests.filter(r => r.service === 'iam')
    const byAction: Record<string, number> = {}
    for (const r of iam) if (!r.throttled) byAction[r.action] = (byAction[r.action] ?? 0) + 1
    const verdicts = new Map(
      report.keys.map(k => [
        `${k.user} ${k.accessKeyId ?? '-'}`,
        `${k.verdict} ${k.reasons.join(',')}`
      ])
    )
    return {
      row: {
        mode,
        users: report.totals.users ?? 0,
        keys: report.totals.keys ?? 0,
        // Within policy: not a violation (a warning, such as a second active key, still is).
        withinPolicy: 1 - (report.totals.violation ?? 0) / Math.max(1, report.totals.keys ?? 0),
        calls: iam.filter(r => !r.throttled).length,
        throttled: iam.filter(r => r.throttled).length,
        byAction,
        seconds,
        iamSeconds: iam.length === 0 ? 0 : ((iam.at(-1)?.time ?? 0) - (iam[0]?.time ?? 0)) / 1000,
        exitCode: run.code
      },
      verdicts
    }
  } finally {
    await emu.close()
  }
}

/** Keys whose verdict differs between the two runs (or that only one run has). */
function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = []
  for (const key of new Set([...a.keys(), ...b.keys()]))
    if (a.get(key) !== b.get(key)) out.push(`${key}: api ${a.get(key)} / report ${b.get(key)}`)
  return out
}

/**
 * Runs both modes on a 5,000-user account (1,000 with `quick`), prints the comparison, and
 * says whether the credential report met the bar: identical verdicts key by key and at least
 * REQUIRED_RATIO times fewer IAM calls.
 */
export async function benchCredentialReport(opts: {
  quick: boolean
}): Promise<{ rows: CredentialReportBenchRow[]; ok: boolean }> {
  const users = opts.quick ? 1000 : 5000
  const account = benchAccount(users)
  const api = await runMode(account, 'api')
  const cr = await runMode(account, 'credential-report')
  const diff = differences(api.verdicts, cr.verdicts)
  const callRatio = api.row.calls / Math.max(1, cr.row.calls)
  const timeRatio = api.row.seconds / Math.max(0.001, cr.row.seconds)
  const iamRatio = api.row.iamSeconds / Math.max(0.001, cr.row.iamSeconds)
  const rows = [api.row, cr.row]

  console.log(
    `\nlast-used-source: ${users.toLocaleString('en-US')} users (half without a key), ` +
      `throttle ${BENCH_THROTTLE.rate}/s burst ${BENCH_THROTTLE.burst}, latency ${BENCH_LATENCY_MS} ms\n`
  )
  console.log(
    '| mode | keys | within policy | IAM calls | throttled | ListAccessKeys | GetAccessKeyLastUsed | wall s | IAM s |'
  )
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|')
  for (const r of rows)
    console.log(
      `| ${r.mode} | ${r.keys} | ${(r.withinPolicy * 100).toFixed(0)} % | ${r.calls} | ${r.throttled} | ` +
        `${r.byAction.ListAccessKeys ?? 0} | ${r.byAction.GetAccessKeyLastUsed ?? 0} | ${r.seconds.toFixed(1)} | ${r.iamSeconds.toFixed(1)} |`
    )
  console.log(
    `\n${callRatio.toFixed(2)}× fewer IAM calls, ${timeRatio.toFixed(2)}× less wall time (${iamRatio.toFixed(2)}× less time calling IAM); ` +
      `verdicts ${diff.length === 0 ? `identical for all ${api.verdicts.size} rows` : `DIFFER for ${diff.length} rows`}`
  )
  for (const d of diff.slice(0, 20)) console.log(`  ${d}`)
  const ok = diff.length === 0 && callRatio >= REQUIRED_RATIO
  if (callRatio < REQUIRED_RATIO) console.log(`FAIL: fewer than ${REQUIRED_RATIO}× fewer calls`)
  return { rows, ok }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchCredentialReport({ quick: process.argv.includes('--quick') }).then(
    ({ ok }) => process.exit(ok ? 0 : 1),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}

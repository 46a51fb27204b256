/**
 * `npm run bench [-- --quick]`: the bundle against the emulator at scale, side by side with the
 * audits people write by hand (scripts/hand-audit.ts: sequential, and 16 in flight on the SDK's
 * default retry), each contender against its own emulator so that each has its own buckets.
 * On the unthrottled account the bundle runs a second time with Node's own heap limits
 * (`IAM_ACCESS_KEY_GATE_HEAP_MB=0`), so the figure the bounded heap saves is measured too.
 *
 * Prints a table per scenario, then the last-used-source comparison
 * (scripts/bench-credential-report.ts), and, last, one JSON line with the ratios. The action's runs go
 * first, one at a time; then the hand-written audits, all at once.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { generateAccount, type Scenario, type ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'
import { benchCredentialReport } from './bench-credential-report.js'
import { NODE24, ROOT, runAction } from './run-action.js'

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } })
const quick = values.quick

interface Spec {
  name: string
  accounts: number
  usersPerAccount: number
  /** Per account; absent: no throttle. */
  throttle?: { rate: number; burst: number }
  latencyMs?: number
  /** Also run the action with Node's own heap limits, to show what the bounded heap saves. */
  heapCompare?: boolean
}

const SPECS: Spec[] = quick
  ? [
      {
        name: 'big account, 100/s',
        accounts: 1,
        usersPerAccount: 500,
        throttle: { rate: 100, burst: 200 }
      },
      {
        name: 'tight account, 5/s',
        accounts: 1,
        usersPerAccount: 60,
        throttle: { rate: 5, burst: 10 }
      },
      {
        name: 'no throttle, 30 ms',
        accounts: 1,
        usersPerAccount: 500,
        latencyMs: 30,
        heapCompare: true
      },
      {
        name: '5 accounts, 20/s each',
        accounts: 5,
        usersPerAccount: 50,
        throttle: { rate: 20, burst: 40 }
      }
    ]
  : [
      {
        name: 'big account, 100/s',
        accounts: 1,
        usersPerAccount: 5000,
        throttle: { rate: 100, burst: 200 }
      },
      {
        name: 'tight account, 5/s',
        accounts: 1,
        usersPerAccount: 300,
        throttle: { rate: 5, burst: 10 }
      },
      {
        name: 'no throttle, 30 ms',
        accounts: 1,
        usersPerAccount: 5000,
        latencyMs: 30,
        heapCompare: true
      },
      {
        name: '20 accounts, 20/s each',
        accounts: 20,
        usersPerAccount: 250,
        throttle: { rate: 20, burst: 40 }
      }
    ]

type Contender = 'action' | 'action, Node heap' | 'sequential' | 'fixed-16'

interface Result {
  contender: Contender
  users: number
  keys: number
  judged: number
  calls: number
  throttled: number
  failed: number
  wallS: number
  peakRssMb: number | null
}

const accountId = (i: number): string => String(200000000000 + i)

function scenarioOf(spec: Spec): Scenario {
  const accounts: ScenarioAccount[] = Array.from({ length: spec.accounts }, (_, i) =>
    generateAccount({
      id: accountId(i + 1),
      users: spec.usersPerAccount,
      seed: i + 1,
      noKeyShare: 0.05,
      twoKeyShare: 0.58,
      ...(spec.throttle ? { throttle: spec.throttle } : {})
    })
  )
  return { accounts, ...(spec.latencyMs !== undefined ? { latencyMs: spec.latencyMs } : {}) }
}

/** Samples a process's peak resident set (VmHWM) until it exits. */
function watchRss(pid: number): () => number | null {
  let peakKb: number | null = null
  const read = (): void => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]))
    } catch {
      // Gone: the last sample stands.
    }
  }
  const timer = setInterval(read, 50)
  return () => {
    clearInterval(timer)
    return peakKb === null ? null : peakKb / 1024
  }
}

function iamTally(emu: Emulator): { calls: number; throttled: number } {
  const iam = emu.requests.filter(r => r.service === 'iam')
  return { calls: iam.length, throttled: iam.filter(r => r.throttled).length }
}

/**
 * The bundle on `spec`; with `nodeHeap`, its audit thread gets Node's default heap limits
 * (`IAM_ACCESS_KEY_GATE_HEAP_MB=0`) instead of the bounded heap of src/launch.ts.
 */
async function runActionOn(spec: Spec, nodeHeap = false): Promise<Result> {
  const scenario = scenarioOf(spec)
  const emu = await startEmulator(scenario)
  let stop: () => number | null = () => null
  const ids = scenario.accounts.map(a => a.id)
  const started = performance.now()
  const run = await runAction({
    env: { ...emu.env(), ...(nodeHeap ? { IAM_ACCESS_KEY_GATE_HEAP_MB: '0' } : {}) },
    timeoutMs: 3_600_000,
    onSpawn: pid => (stop = watchRss(pid)),
    inputs: {
      'role-to-assume': `arn:aws:iam::${ids[0]}:role/iam-access-key-gate`,
      'fail-on-violation': 'false',
      ...(spec.accounts > 1 ? { accounts: ids.join(',') } : {})
    }
  })
  const wallS = (performance.now() - started) / 1000
  const peakRssMb = stop()
  await emu.close()
  if (run.code !== 0)
    throw new Error(`the action failed (${run.code}):\n${run.stdout.slice(-3000)}`)
  const reports = reportsOf(run.report)
  const tally = iamTally(emu)
  return {
    contender: nodeHeap ? 'action, Node heap' : 'action',
    users: sum(reports.map(r => r.totals.users)),
    keys: sum(reports.map(r => r.totals.keys)),
    judged: sum(
      reports.map(r => r.keys.filter(k => k.accessKeyId && k.verdict !== 'error').length)
    ),
    ...tally,
    failed: sum(reports.map(r => r.stats.failed)),
    wallS,
    peakRssMb
  }
}

interface ReportShape {
  totals: { users: number; keys: number }
  keys: Array<{ accessKeyId: string | null; verdict: string }>
  stats: { failed: number }
  accounts?: ReportShape[]
}

/** One account's report, or the combined report of many. */
function reportsOf(report: unknown): ReportShape[] {
  const r = report as ReportShape
  return r.accounts ?? [r]
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0)

async function runHand(spec: Spec, mode: 'sequential' | 'fixed'): Promise<Result> {
  const scenario = scenarioOf(spec)
  const emu = await startEmulator(scenario)
  const args = [join(ROOT, 'build', 'scripts', 'hand-audit.js'), '--mode', mode]
  if (spec.accounts > 1) args.push('--accounts', scenario.accounts.map(a => a.id).join(','))
  const started = performance.now()
  const child = spawn(NODE24, args, {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: 'AKIABENCHHANDAUDIT01',
      AWS_SECRET_ACCESS_KEY: 'bench-secret-not-a-real-one',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_IAM: emu.iamEndpoint,
      AWS_ENDPOINT_URL_STS: emu.stsEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stop = child.pid === undefined ? () => null : watchRss(child.pid)
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const code = await new Promise<number | null>(done => child.on('close', c => done(c)))
  const wallS = (performance.now() - started) / 1000
  const peakRssMb = stop()
  await emu.close()
  if (code !== 0) throw new Error(`hand audit (${mode}) failed (${code}): ${err.slice(-2000)}`)
  const tally = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    users: number
    keys: number
    judged: number
    failed: number
  }
  return {
    contender: mode === 'fixed' ? 'fixed-16' : 'sequential',
    ...tally,
    ...iamTally(emu),
    wallS,
    peakRssMb
  }
}

/** The calls a complete audit of one account needs, from what the scenario holds. */
function neededCalls(account: ScenarioAccount): number {
  const keys = sum(account.users.map(u => u.keys?.length ?? 0))
  // ListUsers pages of 1,000, one ListAccessKeys per user, one GetAccessKeyLastUsed per key,
  // GetAccountSummary and ListAccountAliases.
  return Math.max(1, Math.ceil(account.users.length / 1000)) + account.users.length + keys + 2
}

interface Row {
  spec: Spec
  idealS: number | null
  results: Result[]
}

function fmt(n: number | null, digits = 1): string {
  return n === null ? '—' : n.toFixed(digits)
}

function printScenario(row: Row): void {
  const { spec } = row
  console.log(
    `\n## ${spec.name}: ${spec.accounts} × ${spec.usersPerAccount} users` +
      (spec.throttle
        ? `, ${spec.throttle.rate} calls/s (burst ${spec.throttle.burst}) per account`
        : '') +
      (spec.latencyMs ? `, ${spec.latencyMs} ms latency, no throttle` : '') +
      (row.idealS !== null
        ? ` — ideal ${row.idealS.toFixed(1)} s (calls ÷ rate of one account)`
        : '')
  )
  console.log(
    '| contender | users | keys | judged | IAM calls | throttled | failed | wall s | wall ÷ ideal | peak RSS MB |'
  )
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|')
  for (const r of row.results) {
    const ratio = row.idealS === null ? null : r.wallS / row.idealS
    console.log(
      `| ${r.contender} | ${r.users} | ${r.keys} | ${r.judged} | ${r.calls} | ${r.throttled} | ${r.failed} | ` +
        `${fmt(r.wallS)} | ${fmt(ratio, 2)} | ${fmt(r.peakRssMb, 0)} |`
    )
  }
}

async function main(): Promise<void> {
  // Tools are compiled by `npm run build:tools`; the bundle is the committed dist/index.js.
  console.log(`Benchmark${quick ? ' (quick)' : ''}: dist/index.js on Node 24 against the emulator`)
  const rows: Row[] = SPECS.map(spec => {
    const first = scenarioOf(spec).accounts[0] as ScenarioAccount
    return {
      spec,
      idealS: spec.throttle ? neededCalls(first) / spec.throttle.rate : null,
      results: []
    }
  })
  const add = (row: Row) => (r: Result) => void row.results.push(r)
  // The action runs alone, one scenario at a time: the machine is small and shared, and a run
  // that waits for CPU cannot keep its bucket drained. The hand-written audits run afterwards,
  // all at once, each against its own emulator; sharing the CPU only flatters the action less.
  for (const row of rows) {
    add(row)(await runActionOn(row.spec))
    if (row.spec.heapCompare) add(row)(await runActionOn(row.spec, true))
  }
  await Promise.all(
    rows.flatMap(row => [
      runHand(row.spec, 'sequential').then(add(row)),
      runHand(row.spec, 'fixed').then(add(row))
    ])
  )

  const order: Contender[] = ['action', 'action, Node heap', 'sequential', 'fixed-16']
  for (const row of rows) {
    row.results.sort((a, b) => order.indexOf(a.contender) - order.indexOf(b.contender))
    printScenario(row)
  }

  const pick = (row: Row, c: Contender): Result =>
    row.results.find(r => r.contender === c) as Result
  const summary = rows.map(row => {
    const action = pick(row, 'action')
    const nodeHeap = row.results.find(r => r.contender === 'action, Node heap')
    return {
      scenario: row.spec.name,
      accounts: row.spec.accounts,
      users: action.users,
      keys: action.keys,
      calls: action.calls,
      throttled: action.throttled,
      failed: action.failed,
      wallS: round(action.wallS),
      idealS: row.idealS === null ? null : round(row.idealS),
      wallOverIdeal: row.idealS === null ? null : round(action.wallS / row.idealS),
      peakRssMb: action.peakRssMb === null ? null : Math.round(action.peakRssMb),
      ...(nodeHeap?.peakRssMb != null && action.peakRssMb !== null
        ? {
            nodeHeapPeakRssMb: Math.round(nodeHeap.peakRssMb),
            nodeHeapOverBoundedRss: round(nodeHeap.peakRssMb / action.peakRssMb),
            nodeHeapOverBoundedWall: round(nodeHeap.wallS / action.wallS)
          }
        : {}),
      speedupOverSequential: round(pick(row, 'sequential').wallS / action.wallS),
      sequentialFailed: pick(row, 'sequential').failed,
      fixed16Failed: pick(row, 'fixed-16').failed
    }
  })
  // The same kind of account in both last-used-source modes: calls, time, verdicts key by key.
  const cr = await benchCredentialReport({ quick })
  const [api, report] = cr.rows
  const lastUsedSource = {
    users: quick ? 1000 : 5000,
    apiCalls: api.calls,
    credentialReportCalls: report.calls,
    callRatio: round(api.calls / Math.max(1, report.calls)),
    apiWallS: round(api.seconds),
    credentialReportWallS: round(report.seconds),
    wallRatio: round(api.seconds / Math.max(0.001, report.seconds)),
    sameVerdictsAndTargetMet: cr.ok
  }
  console.log('')
  console.log(
    JSON.stringify({ bench: quick ? 'quick' : 'full', scenarios: summary, lastUsedSource })
  )
  if (!cr.ok) process.exitCode = 1
}

const round = (n: number): number => Math.round(n * 100) / 100

await main()

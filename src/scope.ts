/**
 * Scoping and the glob patterns shared by `include-paths`, `exclude-users` and exemptions.
 * IAM names and paths cannot contain `*` or `?`, so those two are free to be wildcards.
 */

/** `*` matches any run of characters (also `/`), `?` exactly one. */
export function globSource(pattern: string): string {
  return pattern
    .split('')
    .map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('')
}

// Patterns come from a handful of inputs but are tested against every user and key: compile
// each once.
const compiled = new Map<string, RegExp>()
function regex(pattern: string, whole: boolean): RegExp {
  const key = `${whole ? 'w' : 'p'}${pattern}`
  let re = compiled.get(key)
  if (re === undefined) {
    re = new RegExp(`^${globSource(pattern)}${whole ? '$' : ''}`)
    compiled.set(key, re)
  }
  return re
}

/** True when `name` is matched whole by the glob `pattern`. */
export function matchesName(pattern: string, name: string): boolean {
  return regex(pattern, true).test(name)
}

/**
 * True when the glob `pattern` matches the start of `path`: `/vendor/` covers `/vendor/` and
 * `/vendor/acme/`, the way IAM's own PathPrefix does.
 */
export function matchesPathPrefix(pattern: string, path: string): boolean {
  return regex(pattern, false).test(path)
}

/** A user name or a glob of one: IAM's user name characters plus `*` and `?`. */
export const USER_GLOB = /^[\w+=,.@*?-]{1,128}$/
/** An IAM path prefix or a glob of one: starts with `/`, printable ASCII. */
export const PATH_GLOB = /^\/[\x21-\x7e]{0,511}$/

/** Which users the audit covers. Empty `includePaths` means every path. */
export interface Scope {
  readonly includePaths: readonly string[]
  readonly excludeUsers: readonly string[]
}

/** True when the user is audited; false when `include-paths` or `exclude-users` leaves it out. */
export function inScope(scope: Scope, userName: string, userPath: string): boolean {
  if (
    scope.includePaths.length > 0 &&
    !scope.includePaths.some(p => matchesPathPrefix(p, userPath))
  )
    return false
  return !scope.excludeUsers.some(p => matchesName(p, userName))
}

/** Splits a list input: one item a line or comma-separated; blank items are dropped. */
export function splitList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map(s => s.trim())
    .filter(s => s !== '')
}

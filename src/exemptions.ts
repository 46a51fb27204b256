import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import { matchesName, matchesPathPrefix, PATH_GLOB, USER_GLOB } from './scope.js'

/** The longest an exemption may run: a year, so every exception is looked at again. */
export const MAX_EXEMPTION_DAYS = 365
/** An exemption ending within this many days is called out in the summary. */
export const EXPIRING_SOON_DAYS = 14

/** What an exemption names: a user (or glob), one access key, or an IAM path prefix (or glob). */
export type ExemptionSelector =
  { readonly user: string } | { readonly accessKeyId: string } | { readonly path: string }

/** One entry of the `exemptions` input, checked. */
export interface Exemption {
  /** Position in the input list, from 0, as error messages name it (`exemptions[2]`). */
  readonly entry: number
  readonly selector: ExemptionSelector
  /** The last day it applies, `YYYY-MM-DD` (UTC): it runs out when that day ends. */
  readonly until: string
  readonly reason: string
}

const FIELDS = ['user', 'access-key-id', 'path', 'until', 'reason'] as const
const SELECTORS = ['user', 'access-key-id', 'path'] as const
const KEY_ID = /^[A-Z0-9]{16,128}$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
// Not imported from judge.ts, which imports this module.
const DAY_MS = 86_400_000

const SHAPE =
  'a YAML list of entries, each with one of user, access-key-id or path, plus until (YYYY-MM-DD) and reason'

/** The UTC midnight starting a `YYYY-MM-DD` day, or null when it is not a calendar date. */
export function parseDay(text: string): Date | null {
  const m = DATE.exec(text)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  // Date.UTC rolls 2027-02-30 over to March; a real date survives the round trip.
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    ? date
    : null
}

/** The moment an exemption running until `until` (inclusive) stops applying. */
export function expiresAt(until: string): Date {
  return new Date((parseDay(until) as Date).getTime() + DAY_MS)
}

/** `YYYY-MM-DD` of the last day an exemption may run until, seen from `now`. */
export function latestUntil(now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return new Date(today + MAX_EXEMPTION_DAYS * DAY_MS).toISOString().slice(0, 10)
}

/**
 * Checks an `until` value and returns the problem in words, or null when it is fine. A date in
 * the past is fine: that exemption is reported as expired, not refused, so a lapsed exception
 * shows up in the report instead of breaking the run.
 */
export function untilProblem(until: string, now: Date): string | null {
  if (parseDay(until) === null) return `'${until}' is not a date (YYYY-MM-DD, such as 2027-03-31)`
  const latest = latestUntil(now)
  if (until > latest)
    return `'${until}' is more than ${MAX_EXEMPTION_DAYS} days ahead (latest allowed: ${latest})`
  return null
}

function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value.trim()
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return null
}

/**
 * Parses the `exemptions` input (YAML). Returns the exemptions, or the problems found, each
 * naming the entry's position and field, quoting the value and saying what is allowed.
 * Needs `now` only to hold `until` to at most a year ahead.
 */
export function parseExemptions(
  text: string,
  now: Date
): { exemptions: Exemption[]; problems: string[] } {
  const problems: string[] = []
  if (text.trim() === '') return { exemptions: [], problems }
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true })
  if (doc.errors.length > 0) {
    const first = doc.errors[0].message.split('\n')[0]
    return { exemptions: [], problems: [`exemptions is not valid YAML: ${first}`] }
  }
  const root = doc.contents
  if (!isSeq(root)) {
    const got = isMap(root) ? 'a mapping' : isScalar(root) ? `'${String(root.value)}'` : 'nothing'
    return { exemptions: [], problems: [`exemptions must be ${SHAPE}, got ${got}`] }
  }

  const exemptions: Exemption[] = []
  root.items.forEach((item, entry) => {
    const at = `exemptions[${entry}]`
    if (!isMap(item)) {
      problems.push(
        `${at} must be a mapping with one of user, access-key-id or path, plus until and reason`
      )
      return
    }
    const fields = new Map<string, unknown>()
    let bad = false
    for (const pair of item.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      if (!(FIELDS as readonly string[]).includes(name)) {
        problems.push(`${at}: unknown field '${name}'; allowed: ${FIELDS.join(', ')}`)
        bad = true
        continue
      }
      fields.set(name, isScalar(pair.value) ? pair.value.value : pair.value)
    }
    const text = (name: string): string | null => {
      const value = fields.get(name)
      const s = scalarText(value)
      if (value !== undefined && value !== null && s === null) {
        problems.push(`${at}.${name} must be a single value, not a list or mapping`)
        bad = true
      }
      return s === '' ? null : s
    }

    const given = SELECTORS.filter(s => fields.has(s))
    if (given.length === 0) {
      problems.push(`${at} needs one of user, access-key-id or path`)
      bad = true
    } else if (given.length > 1) {
      problems.push(
        `${at} has both ${given.join(' and ')}; give exactly one of user, access-key-id or path`
      )
      bad = true
    }
    let selector: ExemptionSelector | null = null
    const raw = given.length === 1 ? fields.get(given[0]) : undefined
    const nested = raw !== null && raw !== undefined && scalarText(raw) === null
    if (nested) text(given[0])
    else if (given.length === 1) {
      const value = text(given[0]) ?? ''
      if (given[0] === 'user') {
        if (USER_GLOB.test(value)) selector = { user: value }
        else {
          problems.push(
            `${at}.user: '${value}' is not an IAM user name or glob (letters, digits, + = , . @ _ - and the wildcards * ?); root user keys cannot be exempted`
          )
        }
      } else if (given[0] === 'access-key-id') {
        if (KEY_ID.test(value)) selector = { accessKeyId: value }
        else
          problems.push(
            `${at}.access-key-id: '${value}' is not an access key id (16 to 128 upper-case letters and digits, such as AKIAIOSFODNN7EXAMPLE)`
          )
      } else if (PATH_GLOB.test(value) && value.endsWith('/')) selector = { path: value }
      else
        problems.push(
          `${at}.path: '${value}' is not an IAM path prefix (starts and ends with /, such as /vendor/)`
        )
    }

    const until = text('until')
    if (until === null)
      problems.push(`${at}.until is required: the last day the exemption applies (YYYY-MM-DD)`)
    else {
      const problem = untilProblem(until, now)
      if (problem !== null) problems.push(`${at}.until: ${problem}`)
    }
    const reason = text('reason')
    if (reason === null)
      problems.push(`${at}.reason is required: say why the key is accepted (a ticket, an owner)`)

    if (
      !bad &&
      selector !== null &&
      until !== null &&
      reason !== null &&
      untilProblem(until, now) === null
    )
      exemptions.push({ entry, selector, until, reason })
  })
  return { exemptions, problems }
}

/** True when the exemption names this key. */
export function exemptionMatches(
  exemption: Exemption,
  key: { user: string; userPath: string; accessKeyId: string | null }
): boolean {
  const s = exemption.selector
  if ('user' in s) return matchesName(s.user, key.user)
  if ('accessKeyId' in s) return key.accessKeyId === s.accessKeyId
  return matchesPathPrefix(s.path, key.userPath)
}

/** The selector as the input wrote it, with the key id shortened unless `reveal`. */
export function selectorText(selector: ExemptionSelector, reveal: boolean): string {
  if ('user' in selector) return `user ${selector.user}`
  if ('accessKeyId' in selector)
    return `access-key-id ${reveal ? selector.accessKeyId : `${selector.accessKeyId.slice(0, 4)}…${selector.accessKeyId.slice(-4)}`}`
  return `path ${selector.path}`
}

/**
 * The IAM credential report, as IAM serves it: GenerateCredentialReport starts a snapshot of
 * the account (STARTED, then INPROGRESS until the generation delay has passed, then COMPLETE),
 * GetCredentialReport returns it base64-encoded. A report is reused for 4 hours, so a key used
 * after generation keeps its old last-used date in the report, exactly the staleness AWS has.
 */
import { QueryError } from './faults.js'
import type { AccountState, KeyState, UserState } from './state.js'
import { text } from './xml.js'

/** AWS regenerates a report older than this. */
export const REPORT_TTL_MS = 4 * 60 * 60 * 1000

/** The header of AWS's credential report, column for column. */
export const CREDENTIAL_REPORT_HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated'
] as const

/** A generated report in an account's live state. */
export interface CredentialReportState {
  /** The snapshot's moment, and its GeneratedTime. */
  generatedAt: number
  /** When GenerateCredentialReport starts answering COMPLETE. */
  readyAt: number
  csv: string
}

/** The report's date format: ISO 8601 to the second with an explicit +00:00 offset. */
export function reportDate(date: Date | number): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, '+00:00')
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function keyColumns(key: KeyState | undefined): string[] {
  if (!key) return ['false', 'N/A', 'N/A', 'N/A', 'N/A']
  const used = key.lastUsed
  const active = key.status === 'Active'
  return [
    String(active),
    // As documented: "If the user does not have an active access key, the value in this
    // field is N/A" — an Inactive key never used is then a row of N/A, like no key at all.
    active ? reportDate(key.createDate) : 'N/A',
    used ? reportDate(used.date) : 'N/A',
    used ? used.region : 'N/A',
    used ? used.service : 'N/A'
  ]
}

function userRow(user: UserState): string[] {
  return [
    user.userName,
    user.arn,
    reportDate(user.createDate),
    'false',
    'N/A',
    'N/A',
    'N/A',
    'false',
    ...keyColumns(user.keys[0]),
    ...keyColumns(user.keys[1]),
    'false',
    'N/A',
    'false',
    'N/A'
  ]
}

function rootRow(account: AccountState, now: number): string[] {
  // The emulator keeps only whether root keys exist; the slot shows one key created a year ago.
  const created = now - 365 * 86_400_000
  const key = account.rootAccessKeysPresent
    ? ['true', reportDate(created), 'N/A', 'N/A', 'N/A']
    : ['false', 'N/A', 'N/A', 'N/A', 'N/A']
  return [
    '<root_account>',
    `arn:aws:iam::${account.id}:root`,
    reportDate(created),
    'not_supported',
    'no_information',
    'not_supported',
    'not_supported',
    'true',
    ...key,
    'false',
    'N/A',
    'N/A',
    'N/A',
    'N/A',
    'false',
    'N/A',
    'false',
    'N/A'
  ]
}

/** The report's CSV for the account as it is at `now`. */
export function renderCredentialReport(account: AccountState, now: number): string {
  const rows = [[...CREDENTIAL_REPORT_HEADER], rootRow(account, now), ...account.users.map(userRow)]
  return rows.map(r => r.map(csvField).join(',')).join('\n') + '\n'
}

/** GenerateCredentialReport: the inner XML of its result. */
export function generateCredentialReport(account: AccountState, now: number): string {
  const current = account.credentialReport
  if (!current || now - current.generatedAt > REPORT_TTL_MS) {
    account.credentialReport = {
      generatedAt: now,
      readyAt: now + account.credentialReportDelayMs,
      csv: account.credentialReportContent ?? renderCredentialReport(account, now)
    }
    return (
      text('State', 'STARTED') +
      text('Description', 'No report exists. Starting a new report generation task')
    )
  }
  if (now < current.readyAt)
    return text('State', 'INPROGRESS') + text('Description', 'Report generation in progress')
  return text('State', 'COMPLETE')
}

/** GetCredentialReport: the inner XML of its result, or IAM's error for the report's state. */
export function getCredentialReport(account: AccountState, now: number): string {
  const current = account.credentialReport
  if (!current)
    throw new QueryError(
      'ReportNotPresent',
      'Credential report not present. Use GenerateCredentialReport to generate a report.',
      410
    )
  if (now < current.readyAt)
    throw new QueryError('ReportInProgress', 'Credential report is being generated.', 404)
  if (now - current.generatedAt > REPORT_TTL_MS)
    throw new QueryError(
      'ReportExpired',
      'Credential report has expired. Use GenerateCredentialReport to generate a new report.',
      410
    )
  return (
    text('Content', Buffer.from(current.csv, 'utf8').toString('base64')) +
    text('ReportFormat', 'text/csv') +
    text('GeneratedTime', new Date(current.generatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'))
  )
}

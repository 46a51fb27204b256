import { GetAccessKeyLastUsedCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam'
import type { DeactivateMode } from './config.js'
import { errorMessage } from './errors.js'
import { redactKeyIds, shortKeyId } from './format.js'
import { DAY_MS } from './judge.js'
import type { AuditError, JudgedKey, Reason } from './model.js'
import { Pool } from './pool.js'
import { withRetry, type Sleep } from './retry.js'

/** A key used more recently than this is never deactivated: it is carrying live traffic. */
export const RECENT_USE_MS = DAY_MS

const REASONS: Record<Exclude<DeactivateMode, 'off'>, readonly Reason[]> = {
  idle: ['idle'],
  age: ['age'],
  'idle-and-age': ['idle', 'age']
}

/**
 * Which rows `deactivate` acts on, and which it spares. Pure. A candidate is an Active key
 * with verdict `violation` for a reason the mode names (never an exempt key, a warning, or a
 * key broken only by having a sibling). It is spared when it was used within the last 24
 * hours, by its exact last-use time, and when its last use could not be read at all (the 24
 * hours cannot be proved). At most one key per user is deactivated in one run (`onePerUser`
 * lists the others).
 */
export function deactivationPlan(
  rows: readonly JudgedKey[],
  mode: DeactivateMode,
  now: Date
): { deactivate: JudgedKey[]; spared: JudgedKey[]; onePerUser: JudgedKey[] } {
  const deactivate: JudgedKey[] = []
  const spared: JudgedKey[] = []
  if (mode === 'off') return { deactivate, spared, onePerUser: [] }
  for (const row of rows) {
    if (row.verdict !== 'violation' || row.status !== 'Active' || row.accessKeyId === null) continue
    if (!row.reasons.some(r => REASONS[mode].includes(r))) continue
    const usedRecently =
      row.idleDays === null ||
      (row.lastUsedDate !== null && now.getTime() - row.lastUsedDate.getTime() < RECENT_USE_MS)
    ;(usedRecently ? spared : deactivate).push(row)
  }
  // Switching off every key of a user at once cuts it off entirely (a complaint users have
  // of Cloud Custodian): one key per user a run, the longest idle first, the next one the
  // next night.
  const byUser = new Map<string, JudgedKey>()
  const onePerUser: JudgedKey[] = []
  for (const row of deactivate) {
    const kept = byUser.get(row.user)
    if (kept === undefined) byUser.set(row.user, row)
    else if ((row.idleDays ?? 0) > (kept.idleDays ?? 0)) {
      onePerUser.push(kept)
      byUser.set(row.user, row)
    } else onePerUser.push(row)
  }
  return { deactivate: [...byUser.values()], spared, onePerUser }
}

export interface DeactivateOptions {
  readonly mode: DeactivateMode
  readonly dryRun: boolean
  readonly now: Date
  readonly revealKeyIds: boolean
  readonly log: (message: string) => void
  readonly warn: (message: string) => void
  readonly attempts?: number
  readonly sleep?: Sleep
}

/**
 * Sets the keys of the plan to Inactive with UpdateAccessKey (never deletes), or under
 * `dryRun` only says it would. Each key's last use is confirmed live first. Returns the rows with their `action`, and an audit error for
 * each failed call: a deactivation that did not happen must not look like one that did.
 */
export async function applyDeactivation(
  iam: IAMClient,
  rows: readonly JudgedKey[],
  opts: DeactivateOptions
): Promise<{ rows: JudgedKey[]; errors: AuditError[]; calls: number }> {
  const plan = deactivationPlan(rows, opts.mode, opts.now)
  const actions = new Map<JudgedKey, NonNullable<JudgedKey['action']>>()
  const errors: AuditError[] = []
  const id = (row: JudgedKey): string => shortKeyId(row.accessKeyId ?? '', opts.revealKeyIds)
  let calls = 0
  for (const row of plan.spared) {
    actions.set(row, 'spared-recent-use')
    opts.log(
      `Not deactivating ${row.user}'s key ${id(row)}: ${row.idleDays === null ? 'its last use could not be read' : 'it was used within the last 24 hours'}`
    )
  }
  for (const row of plan.onePerUser) {
    actions.set(row, 'spared-one-per-user')
    opts.log(
      `Not deactivating ${row.user}'s key ${id(row)} in this run: another key of this user is`
    )
  }
  const pool = new Pool(4)
  await Promise.all(
    plan.deactivate.map(row =>
      pool.run(async () => {
        // The verdict may rest on a last use read minutes ago, or on the credential report
        // (up to 4 hours old): ask IAM once more right before switching a key off, so a key
        // that went back into use is never broken.
        let lastUsed: Date | null | undefined
        try {
          calls++
          const out = await withRetry(
            () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: row.accessKeyId ?? '' })),
            { attempts: opts.attempts ?? 6, baseMs: 200, capMs: 10_000, sleep: opts.sleep }
          )
          lastUsed = out.AccessKeyLastUsed?.LastUsedDate ?? null
        } catch (error) {
          lastUsed = undefined
          opts.log(
            `Could not confirm the last use of ${row.user}'s key ${id(row)}: ${redactKeyIds(errorMessage(error), opts.revealKeyIds)}`
          )
        }
        if (
          lastUsed === undefined ||
          (lastUsed !== null && opts.now.getTime() - lastUsed.getTime() < RECENT_USE_MS)
        ) {
          actions.set(row, 'spared-recent-use')
          opts.log(
            `Not deactivating ${row.user}'s key ${id(row)}: ${lastUsed === undefined ? 'its last use could not be confirmed' : 'it was used within the last 24 hours'}`
          )
          return
        }
        if (opts.dryRun) {
          actions.set(row, 'would-deactivate')
          opts.log(
            `dry-run: would deactivate ${row.user}'s key ${id(row)} (${row.reasons.join(', ')})`
          )
          return
        }
        try {
          await withRetry(
            () => {
              calls++
              return iam.send(
                new UpdateAccessKeyCommand({
                  UserName: row.user,
                  AccessKeyId: row.accessKeyId ?? '',
                  Status: 'Inactive'
                })
              )
            },
            { attempts: opts.attempts ?? 6, baseMs: 200, capMs: 10_000, sleep: opts.sleep }
          )
          actions.set(row, 'deactivated')
          opts.log(`Deactivated ${row.user}'s key ${id(row)} (${row.reasons.join(', ')})`)
        } catch (error) {
          actions.set(row, 'deactivation-failed')
          const message = `Could not deactivate access key ${id(row)} of user '${row.user}': ${redactKeyIds(errorMessage(error), opts.revealKeyIds)}`
          errors.push({ user: row.user, operation: 'UpdateAccessKey', message })
          opts.warn(message)
        }
      })
    )
  )
  return {
    rows: rows.map(r => (actions.has(r) ? { ...r, action: actions.get(r) } : r)),
    errors,
    calls
  }
}

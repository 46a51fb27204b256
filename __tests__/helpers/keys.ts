import { DAY_MS } from '../../src/judge.js'
import type { Inventory, KeyRecord } from '../../src/model.js'
import type { Policy } from '../../src/config.js'

/** The fixed clock of the unit tests. */
export const NOW = new Date('2026-12-03T02:00:00.000Z')

export const POLICY: Policy = {
  maxAgeDays: 90,
  maxIdleDays: 45,
  warnAgeDays: null,
  warnIdleDays: null,
  multipleActiveKeys: 'warn',
  maxInactiveDays: null
}

let serial = 0

/** A key created `ageDays` before NOW and last used `lastUsedDaysAgo` before it (null: never). */
export function makeKey(opts: {
  ageDays: number
  lastUsedDaysAgo?: number | null
  status?: 'Active' | 'Inactive'
  user?: string
  userPath?: string
  accessKeyId?: string
  unknownLastUse?: boolean
}): KeyRecord {
  serial++
  const lastUsed = opts.lastUsedDaysAgo ?? null
  return {
    user: opts.user ?? `user-${serial}`,
    userPath: opts.userPath ?? '/',
    accessKeyId: opts.accessKeyId ?? `AKIA${String(serial).padStart(16, 'X')}`,
    status: opts.status ?? 'Active',
    createDate: new Date(NOW.getTime() - opts.ageDays * DAY_MS),
    lastUsedDate: lastUsed === null ? null : new Date(NOW.getTime() - lastUsed * DAY_MS),
    lastUsedService: lastUsed === null ? null : 's3',
    lastUsedRegion: lastUsed === null ? null : 'eu-west-1',
    ...(opts.unknownLastUse
      ? { lastUsedUnknown: true, lastUsedDate: null, lastUsedService: null, lastUsedRegion: null }
      : {})
  }
}

/** An inventory around the given keys, complete unless errors are given. */
export function makeInventory(keys: KeyRecord[], extra: Partial<Inventory> = {}): Inventory {
  return {
    accountId: '123456789012',
    accountAlias: 'acme-prod',
    usersScanned: new Set(keys.map(k => k.user)).size,
    keys,
    unreadUsers: [],
    rootAccessKeysPresent: false,
    errors: [],
    complete: (extra.errors ?? []).length === 0,
    stats: { calls: 10, retries: 0, throttled: 0, failed: 0 },
    ...extra
  }
}

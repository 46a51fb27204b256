import { describe, expect, it } from '@jest/globals'
import { GetAccessKeyLastUsedCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { applyDeactivation, deactivationPlan } from '../src/deactivate.js'
import { DAY_MS, judge } from '../src/judge.js'
import { makeKey, NOW, POLICY } from './helpers/keys.js'

const idleKey = makeKey({
  user: 'idle-bot',
  ageDays: 100,
  lastUsedDaysAgo: 60,
  accessKeyId: 'AKIAIDLEIDLEIDLE0001'
})

async function deactivate(liveLastUse: Date | Error, dryRun = false) {
  const iam = mockClient(IAMClient)
  if (liveLastUse instanceof Error) iam.on(GetAccessKeyLastUsedCommand).rejects(liveLastUse)
  else
    iam.on(GetAccessKeyLastUsedCommand).resolves({
      AccessKeyLastUsed: { LastUsedDate: liveLastUse, ServiceName: 's3', Region: 'us-east-1' }
    })
  iam.on(UpdateAccessKeyCommand).resolves({})
  const rows = judge(
    { keys: [idleKey], unreadUsers: [], rootAccessKeysPresent: false },
    POLICY,
    NOW
  )
  const logs: string[] = []
  const out = await applyDeactivation(new IAMClient({ region: 'us-east-1' }), rows, {
    mode: 'idle',
    dryRun,
    now: NOW,
    revealKeyIds: false,
    log: m => logs.push(m),
    warn: m => logs.push(`warn: ${m}`),
    attempts: 1,
    sleep: async () => {}
  })
  const updates = iam.commandCalls(UpdateAccessKeyCommand).map(c => c.args[0].input)
  iam.restore()
  return { action: out.rows[0].action, updates, logs }
}

describe('applyDeactivation confirms the last use live before switching a key off', () => {
  it('deactivates a key that is still idle', async () => {
    const { action, updates } = await deactivate(new Date(NOW.getTime() - 60 * DAY_MS))
    expect(action).toBe('deactivated')
    expect(updates).toEqual([
      { UserName: 'idle-bot', AccessKeyId: 'AKIAIDLEIDLEIDLE0001', Status: 'Inactive' }
    ])
  })

  it('spares a key judged idle that went back into use since it was read', async () => {
    const { action, updates, logs } = await deactivate(new Date(NOW.getTime() - 2 * 3_600_000))
    expect(action).toBe('spared-recent-use')
    expect(updates).toEqual([])
    expect(logs).toContain(
      "Not deactivating idle-bot's key AKIA…0001: it was used within the last 24 hours"
    )
  })

  it('spares a key whose last use cannot be confirmed', async () => {
    const denied = Object.assign(new Error('not allowed'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 }
    })
    const { action, updates, logs } = await deactivate(denied)
    expect(action).toBe('spared-recent-use')
    expect(updates).toEqual([])
    expect(logs).toContain(
      "Not deactivating idle-bot's key AKIA…0001: its last use could not be confirmed"
    )
  })

  it('under dry-run only says it would', async () => {
    const { action, updates } = await deactivate(new Date(NOW.getTime() - 60 * DAY_MS), true)
    expect(action).toBe('would-deactivate')
    expect(updates).toEqual([])
  })
})

describe('deactivationPlan', () => {
  it('never deactivates both keys of a user in one run: the longest idle goes first', () => {
    const keys = [
      makeKey({
        user: 'both-idle',
        ageDays: 100,
        lastUsedDaysAgo: 50,
        accessKeyId: 'AKIABOTHIDLE00000001'
      }),
      makeKey({
        user: 'both-idle',
        ageDays: 100,
        lastUsedDaysAgo: 80,
        accessKeyId: 'AKIABOTHIDLE00000002'
      }),
      makeKey({
        user: 'one-idle',
        ageDays: 100,
        lastUsedDaysAgo: 60,
        accessKeyId: 'AKIAONEIDLE000000003'
      })
    ]
    const rows = judge(
      { keys, unreadUsers: [], rootAccessKeysPresent: false },
      { ...POLICY, multipleActiveKeys: 'off' },
      NOW
    )
    const plan = deactivationPlan(rows, 'idle', NOW)
    expect(plan.deactivate.map(r => r.accessKeyId).sort()).toEqual([
      'AKIABOTHIDLE00000002',
      'AKIAONEIDLE000000003'
    ])
    expect(plan.onePerUser.map(r => r.accessKeyId)).toEqual(['AKIABOTHIDLE00000001'])
  })
})

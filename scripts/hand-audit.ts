/**
 * The audits people write by hand, for `npm run bench` to compare against: plain AWS SDK v3
 * with its default retry (standard mode, 3 attempts), either one call at a time
 * (`--mode sequential`) or with a fixed number of calls in flight (`--mode fixed
 * --concurrency N`). With `--accounts a,b,…` it assumes `--role-name` in each account with
 * the ambient credentials, as a script run from a central account would.
 *
 * Prints one JSON line: users, keys, keys whose last use was read, and calls that failed for
 * good (after the SDK's own retries).
 */
import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  type AccessKeyMetadata
} from '@aws-sdk/client-iam'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { parseArgs } from 'node:util'

interface Tally {
  users: number
  keys: number
  judged: number
  failed: number
}

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'sequential' },
    concurrency: { type: 'string', default: '16' },
    accounts: { type: 'string', default: '' },
    'role-name': { type: 'string', default: 'IamAccessKeyGate' }
  }
})
const mode = values.mode === 'fixed' ? 'fixed' : 'sequential'
const limit = mode === 'fixed' ? Number(values.concurrency) : 1
const region = process.env.AWS_REGION ?? 'us-east-1'

/** Runs `fn` over `items` with `limit` in flight, like a p-limit script would. */
async function each<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

async function auditOne(iam: IAMClient, tally: Tally): Promise<void> {
  const users: string[] = []
  let marker: string | undefined
  do {
    try {
      const page = await iam.send(new ListUsersCommand({ Marker: marker, MaxItems: 1000 }))
      for (const u of page.Users ?? []) users.push(u.UserName ?? '')
      marker = page.IsTruncated ? page.Marker : undefined
    } catch {
      tally.failed++
      marker = undefined
    }
  } while (marker)
  tally.users += users.length
  const keys: AccessKeyMetadata[] = []
  await each(users, async user => {
    try {
      const out = await iam.send(new ListAccessKeysCommand({ UserName: user }))
      keys.push(...(out.AccessKeyMetadata ?? []))
    } catch {
      tally.failed++
    }
  })
  tally.keys += keys.length
  await each(keys, async key => {
    try {
      await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }))
      tally.judged++
    } catch {
      tally.failed++
    }
  })
}

async function main(): Promise<void> {
  const tally: Tally = { users: 0, keys: 0, judged: 0, failed: 0 }
  const accounts = values.accounts.split(',').filter(Boolean)
  if (accounts.length === 0) {
    const iam = new IAMClient({ region })
    await auditOne(iam, tally)
    iam.destroy()
  } else {
    const sts = new STSClient({ region })
    const one = async (account: string): Promise<void> => {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/${values['role-name']}`,
          RoleSessionName: 'hand-audit'
        })
      )
      const c = out.Credentials
      const iam = new IAMClient({
        region,
        credentials: {
          accessKeyId: c?.AccessKeyId ?? '',
          secretAccessKey: c?.SecretAccessKey ?? '',
          sessionToken: c?.SessionToken ?? ''
        }
      })
      await auditOne(iam, tally)
      iam.destroy()
    }
    // A sequential script walks the accounts in turn; a parallel one starts them all at once.
    if (mode === 'sequential') for (const a of accounts) await one(a)
    else await Promise.all(accounts.map(one))
    sts.destroy()
  }
  console.log(JSON.stringify(tally))
}

await main()

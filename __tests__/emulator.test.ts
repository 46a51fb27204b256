import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  GetAccessKeyLastUsedCommand,
  GetAccountSummaryCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient
} from '@aws-sdk/client-sts'
import { getIDToken } from '@actions/core'
import { getOctokit } from '@actions/github'
import { readFileSync } from 'node:fs'
import { DAY_MS, generateAccount, type Scenario } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'

const STATIC = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' }
const MAIN = '111111111111'
const SECOND = '222222222222'
const DENIED = '333333333333'
const GENERATED_USERS = 2500

interface AwsError {
  name: string
  message: string
  $metadata: { httpStatusCode?: number; attempts?: number }
}

async function failure(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise
  } catch (error) {
    return error as AwsError
  }
  throw new Error('expected the call to fail')
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

function iam(emu: Emulator, credentials: Credentials = STATIC, maxAttempts = 3): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint: emu.iamEndpoint, credentials, maxAttempts })
}

function sts(emu: Emulator, credentials: Credentials = STATIC): STSClient {
  return new STSClient({
    region: 'us-east-1',
    endpoint: emu.stsEndpoint,
    credentials,
    maxAttempts: 1
  })
}

function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? ''
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>
}

async function oidcToken(emu: Emulator, audience?: string): Promise<string> {
  const url = audience
    ? `${emu.oidcRequestUrl}&audience=${encodeURIComponent(audience)}`
    : emu.oidcRequestUrl
  const res = await fetch(url, { headers: { Authorization: `Bearer ${emu.oidcRequestToken}` } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { value: string }).value
}

const mainAccount = generateAccount({ id: MAIN, users: GENERATED_USERS, seed: 42 })
mainAccount.alias = 'acme-prod'
mainAccount.rootAccessKeysPresent = true
mainAccount.users.push(
  {
    name: 'two-keys',
    path: '/vendor/',
    tags: { team: 'platform', owner: 'ops@acme.example', note: `<rotate> & "review" 'soon'` },
    keys: [
      { ageDays: 10, lastUsedDaysAgo: 1, service: 's3', region: 'eu-west-1' },
      { ageDays: 200, lastUsedDaysAgo: null }
    ]
  },
  { name: 'obrien+ops=oncall,eu@corp.example', keys: [{ ageDays: 5, lastUsedDaysAgo: 0 }] },
  { name: 'locked-out', keys: [{ ageDays: 1 }] },
  { name: 'flaky', keys: [{ ageDays: 1 }] }
)
mainAccount.faults = [
  { action: 'ListAccessKeys', user: 'locked-out', code: 'AccessDenied' },
  { action: 'ListAccessKeys', user: 'flaky', code: 'ServiceFailure', times: 1 }
]

const scenario: Scenario = {
  accounts: [
    mainAccount,
    { id: SECOND, alias: 'acme-staging', users: [{ name: 'stage-bot', keys: [{ ageDays: 3 }] }] },
    { id: DENIED, users: [], assumeRoleDenied: true }
  ],
  github: { repo: 'acme/infra' }
}

describe('emulator: IAM through the real SDK', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator(scenario)
  })
  afterAll(async () => {
    await emu.close()
  })

  it('pages ListUsers with the SDK paginator and returns every user exactly once', async () => {
    emu.clearRequests()
    const names: string[] = []
    for await (const page of paginateListUsers({ client: iam(emu), pageSize: 1000 }, {})) {
      for (const user of page.Users ?? []) names.push(user.UserName ?? '')
    }
    const total = GENERATED_USERS + 4
    expect(names).toHaveLength(total)
    expect(new Set(names).size).toBe(total)
    expect(names).toEqual(emu.state.account(MAIN)?.users.map(u => u.userName))
    const calls = emu.requests.filter(r => r.action === 'ListUsers')
    expect(calls.map(c => c.params.MaxItems)).toEqual(['1000', '1000', '1000'])
    expect(calls[0]?.params.Marker).toBeUndefined()
    expect(calls[1]?.params.Marker).toEqual(expect.any(String))
    expect(calls.every(c => c.account === MAIN && c.status === 200)).toBe(true)
  })

  it('answers one page with IsTruncated and an opaque Marker, and filters by PathPrefix', async () => {
    const page = await iam(emu).send(new ListUsersCommand({ MaxItems: 2 }))
    expect(page.Users).toHaveLength(2)
    expect(page.IsTruncated).toBe(true)
    expect(page.Marker).toMatch(/^[A-Za-z0-9_-]+$/)
    const first = page.Users?.[0]
    expect(first?.Arn).toBe(`arn:aws:iam::${MAIN}:user${first?.Path ?? ''}${first?.UserName ?? ''}`)
    expect(first?.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/)
    expect(first?.CreateDate).toBeInstanceOf(Date)

    const vendors = await iam(emu).send(new ListUsersCommand({ PathPrefix: '/vendor/' }))
    expect(vendors.Users?.map(u => u.UserName)).toEqual(['two-keys'])
    expect(vendors.IsTruncated).toBe(false)
    expect(vendors.Marker).toBeUndefined()
  })

  it('lists both keys of a two-key user with exact creation dates', async () => {
    const out = await iam(emu).send(new ListAccessKeysCommand({ UserName: 'two-keys' }))
    const keys = out.AccessKeyMetadata ?? []
    expect(keys).toHaveLength(2)
    const start = emu.state.startedAt
    const wholeSecond = (ms: number): number => Math.floor(ms / 1000) * 1000
    expect(keys.map(k => k.CreateDate?.getTime())).toEqual([
      wholeSecond(start - 10 * DAY_MS),
      wholeSecond(start - 200 * DAY_MS)
    ])
    expect(keys.every(k => k.UserName === 'two-keys' && k.Status === 'Active')).toBe(true)
    expect(keys.map(k => k.AccessKeyId)).toEqual(
      emu.state.user(MAIN, 'two-keys')?.keys.map(k => k.accessKeyId)
    )
    expect(keys[0]?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/)
    expect(keys[0]?.AccessKeyId).not.toBe(keys[1]?.AccessKeyId)
  })

  it('round-trips user names with every punctuation IAM allows, and refuses others', async () => {
    const name = 'obrien+ops=oncall,eu@corp.example'
    const out = await iam(emu).send(new ListAccessKeysCommand({ UserName: name }))
    expect(out.AccessKeyMetadata?.[0]?.UserName).toBe(name)
    const error = await failure(iam(emu).send(new ListAccessKeysCommand({ UserName: "o'brien" })))
    expect(error.name).toBe('ValidationError')
    await expect(
      startEmulator({ accounts: [{ id: MAIN, users: [{ name: '<b>' }] }] })
    ).rejects.toThrow('not a valid IAM user name')
  })

  it('reports last use of a used key, and N/A without a date for a never-used key', async () => {
    const [used, never] = emu.state.user(MAIN, 'two-keys')?.keys ?? []
    const a = await iam(emu).send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: used?.accessKeyId })
    )
    expect(a.UserName).toBe('two-keys')
    expect(a.AccessKeyLastUsed?.ServiceName).toBe('s3')
    expect(a.AccessKeyLastUsed?.Region).toBe('eu-west-1')
    expect(a.AccessKeyLastUsed?.LastUsedDate?.getTime()).toBe(
      Math.floor((emu.state.startedAt - DAY_MS) / 1000) * 1000
    )
    const b = await iam(emu).send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: never?.accessKeyId })
    )
    expect(b.UserName).toBe('two-keys')
    expect(b.AccessKeyLastUsed?.LastUsedDate).toBeUndefined()
    expect(b.AccessKeyLastUsed?.ServiceName).toBe('N/A')
    expect(b.AccessKeyLastUsed?.Region).toBe('N/A')
  })

  it('sees a key marked used in the live state', async () => {
    const key = emu.state.user(MAIN, 'locked-out')?.keys[0]
    emu.state.markKeyUsed(key?.accessKeyId ?? '', { service: 'ec2', region: 'ap-south-1' })
    const out = await iam(emu).send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: key?.accessKeyId })
    )
    expect(out.AccessKeyLastUsed?.ServiceName).toBe('ec2')
    expect(out.AccessKeyLastUsed?.Region).toBe('ap-south-1')
  })

  it('turns an AccessDenied fault into an SDK error named AccessDenied with status 403', async () => {
    const error = await failure(
      iam(emu).send(new ListAccessKeysCommand({ UserName: 'locked-out' }))
    )
    expect(error.name).toBe('AccessDenied')
    expect(error.$metadata.httpStatusCode).toBe(403)
    expect(error.message).toContain('iam:ListAccessKeys')
    const logged = emu.requests.filter(r => r.params.UserName === 'locked-out')
    expect(logged.at(-1)).toMatchObject({ status: 403, errorCode: 'AccessDenied', account: MAIN })
  })

  it('fails a fault with times: 1 once, then answers normally', async () => {
    const first = await failure(
      iam(emu, STATIC, 1).send(new ListAccessKeysCommand({ UserName: 'flaky' }))
    )
    expect(first.name).toBe('ServiceFailureException')
    expect(first.$metadata.httpStatusCode).toBe(500)
    const second = await iam(emu, STATIC, 1).send(new ListAccessKeysCommand({ UserName: 'flaky' }))
    expect(second.AccessKeyMetadata).toHaveLength(1)
  })

  it('answers NoSuchEntity 404 for a user that does not exist', async () => {
    const error = await failure(iam(emu).send(new ListAccessKeysCommand({ UserName: 'ghost' })))
    expect(error.name).toBe('NoSuchEntityException')
    expect(error.$metadata.httpStatusCode).toBe(404)
    expect(error.message).toBe('The user with name ghost cannot be found.')
  })

  it('reads the account summary, aliases and user tags', async () => {
    const summary = await iam(emu).send(new GetAccountSummaryCommand({}))
    expect(summary.SummaryMap?.Users).toBe(GENERATED_USERS + 4)
    expect(summary.SummaryMap?.AccountAccessKeysPresent).toBe(1)
    expect(summary.SummaryMap?.AccessKeysPerUserQuota).toBe(2)
    expect(summary.SummaryMap?.UsersQuota).toBe(5000)
    const aliases = await iam(emu).send(new ListAccountAliasesCommand({}))
    expect(aliases.AccountAliases).toEqual(['acme-prod'])
    const tags = await iam(emu).send(new ListUserTagsCommand({ UserName: 'two-keys' }))
    expect(tags.Tags).toEqual([
      { Key: 'team', Value: 'platform' },
      { Key: 'owner', Value: 'ops@acme.example' },
      { Key: 'note', Value: `<rotate> & "review" 'soon'` }
    ])
    expect(tags.IsTruncated).toBe(false)
  })

  it('changes a key status with UpdateAccessKey', async () => {
    const key = emu.state.user(MAIN, 'two-keys')?.keys[1]
    expect(key?.status).toBe('Active')
    await iam(emu).send(
      new UpdateAccessKeyCommand({
        UserName: 'two-keys',
        AccessKeyId: key?.accessKeyId,
        Status: 'Inactive'
      })
    )
    expect(emu.state.user(MAIN, 'two-keys')?.keys[1]?.status).toBe('Inactive')
    const out = await iam(emu).send(new ListAccessKeysCommand({ UserName: 'two-keys' }))
    expect(out.AccessKeyMetadata?.map(k => k.Status)).toEqual(['Active', 'Inactive'])
  })

  it('honours AWS_ENDPOINT_URL_IAM with a path, as the action is configured', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_IAM
    process.env.AWS_ENDPOINT_URL_IAM = emu.env().AWS_ENDPOINT_URL_IAM
    try {
      const client = new IAMClient({ region: 'us-east-1', credentials: STATIC })
      const out = await client.send(new ListAccountAliasesCommand({}))
      expect(out.AccountAliases).toEqual(['acme-prod'])
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_IAM
      else process.env.AWS_ENDPOINT_URL_IAM = saved
    }
  })

  it('answers an unknown action with InvalidAction in an ErrorResponse', async () => {
    const res = await fetch(`${emu.iamEndpoint}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/iam/aws4_request, Signature=x'
      },
      body: 'Action=DeleteEverything&Version=2010-05-08'
    })
    expect(res.status).toBe(400)
    const xml = await res.text()
    expect(xml).toMatch(/^<ErrorResponse xmlns="https:\/\/iam\.amazonaws\.com\/doc\/2010-05-08\/">/)
    expect(xml).toContain('<Type>Sender</Type><Code>InvalidAction</Code>')
    expect(xml).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId>/)
  })

  it('serves the request log to other processes', async () => {
    const res = await fetch(`${emu.url}/_emulator/requests?service=iam`)
    const log = (await res.json()) as Array<{ seq: number; service: string }>
    expect(log.length).toBeGreaterThan(5)
    expect(log.every(r => r.service === 'iam')).toBe(true)
    const seqs = log.map(r => r.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
  })
})

describe('emulator: OIDC and STS', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator(scenario)
  })
  afterAll(async () => {
    await emu.close()
  })

  it('issues JWT-shaped tokens only to the right bearer', async () => {
    const wrong = await fetch(`${emu.oidcRequestUrl}&audience=sts.amazonaws.com`, {
      headers: { Authorization: 'Bearer nope' }
    })
    expect(wrong.status).toBe(401)
    const token = await oidcToken(emu, 'sts.amazonaws.com')
    expect(token.split('.')).toHaveLength(3)
    const claims = claimsOf(token)
    expect(claims).toMatchObject({
      aud: 'sts.amazonaws.com',
      sub: 'repo:acme/infra:ref:refs/heads/main',
      iss: 'https://token.actions.githubusercontent.com'
    })
    expect(Number(claims.exp)).toBeGreaterThan(Number(claims.iat))
    expect(claimsOf(await oidcToken(emu)).aud).toBe('https://github.com/acme')
    expect(emu.oidcRequestUrl).toMatch(/\?api-version=2\.0$/)
  })

  it('serves @actions/core getIDToken from the env() variables', async () => {
    const env = emu.env()
    const saved = { ...process.env }
    Object.assign(process.env, env)
    // getIDToken masks the token with a ::add-mask:: line on stdout; keep the test output clean.
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = (() => true) as typeof process.stdout.write
    try {
      const token = await getIDToken('sts.amazonaws.com')
      expect(claimsOf(token).aud).toBe('sts.amazonaws.com')
    } finally {
      process.stdout.write = write
      for (const key of Object.keys(env)) {
        if (saved[key] === undefined) delete process.env[key]
        else process.env[key] = saved[key]
      }
    }
    expect(emu.requests.at(-1)).toMatchObject({
      service: 'oidc',
      status: 200,
      params: { 'api-version': '2.0', audience: 'sts.amazonaws.com' }
    })
  })

  it('exchanges a token for credentials whose caller identity is the role account', async () => {
    const token = await oidcToken(emu, 'sts.amazonaws.com')
    const out = await sts(emu).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: `arn:aws:iam::${MAIN}:role/gate/audit-role`,
        RoleSessionName: 'iam-access-key-gate',
        WebIdentityToken: token
      })
    )
    const creds = out.Credentials
    expect(creds?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(creds?.SecretAccessKey).toHaveLength(40)
    expect(creds?.SessionToken?.length).toBeGreaterThan(100)
    const ttl = (creds?.Expiration?.getTime() ?? 0) - Date.now()
    expect(ttl).toBeGreaterThan(3590_000)
    expect(ttl).toBeLessThanOrEqual(3600_000)
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${MAIN}:assumed-role/audit-role/iam-access-key-gate`
    )
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:iam-access-key-gate$/)
    expect(out.SubjectFromWebIdentityToken).toBe('repo:acme/infra:ref:refs/heads/main')
    expect(out.Audience).toBe('sts.amazonaws.com')
    expect(out.Provider).toBe('https://token.actions.githubusercontent.com')

    const session = {
      accessKeyId: creds?.AccessKeyId ?? '',
      secretAccessKey: creds?.SecretAccessKey ?? '',
      sessionToken: creds?.SessionToken ?? ''
    }
    const me = await sts(emu, session).send(new GetCallerIdentityCommand({}))
    expect(me.Account).toBe(MAIN)
    expect(me.Arn).toBe(out.AssumedRoleUser?.Arn)
    expect(me.UserId).toBe(out.AssumedRoleUser?.AssumedRoleId)

    // A second hop: the same session assumes a role in another account of the scenario.
    const hop = await sts(emu, session).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${SECOND}:role/audit-role`,
        RoleSessionName: 'hop'
      })
    )
    const second = {
      accessKeyId: hop.Credentials?.AccessKeyId ?? '',
      secretAccessKey: hop.Credentials?.SecretAccessKey ?? '',
      sessionToken: hop.Credentials?.SessionToken ?? ''
    }
    expect(second.accessKeyId).not.toBe(session.accessKeyId)
    const them = await sts(emu, second).send(new GetCallerIdentityCommand({}))
    expect(them.Account).toBe(SECOND)
    const users = await iam(emu, second).send(new ListUsersCommand({}))
    expect(users.Users?.map(u => u.UserName)).toEqual(['stage-bot'])
    const aliases = await iam(emu, second).send(new ListAccountAliasesCommand({}))
    expect(aliases.AccountAliases).toEqual(['acme-staging'])

    const denied = await failure(
      sts(emu, session).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DENIED}:role/audit-role`,
          RoleSessionName: 'hop'
        })
      )
    )
    expect(denied.name).toBe('AccessDenied')
    expect(denied.$metadata.httpStatusCode).toBe(403)
  })

  it('maps credentials it never issued to the first account', async () => {
    const me = await sts(emu).send(new GetCallerIdentityCommand({}))
    expect(me.Account).toBe(MAIN)
  })

  it('rejects a token for another audience, a forged token and an account outside the scenario', async () => {
    const assume = (token: string, account = MAIN): Promise<unknown> =>
      sts(emu).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: `arn:aws:iam::${account}:role/audit-role`,
          RoleSessionName: 'gate',
          WebIdentityToken: token
        })
      )
    const wrongAudience = await failure(assume(await oidcToken(emu, 'api://other')))
    expect(wrongAudience.name).toBe('InvalidIdentityTokenException')
    expect(wrongAudience.$metadata.httpStatusCode).toBe(400)
    expect(wrongAudience.message).toBe('Incorrect token audience')

    const good = await oidcToken(emu, 'sts.amazonaws.com')
    const [head, , sig] = good.split('.')
    const forgedBody = Buffer.from(
      JSON.stringify({ ...claimsOf(good), sub: 'repo:evil/repo:ref:refs/heads/main' })
    ).toString('base64url')
    const forged = await failure(assume(`${head}.${forgedBody}.${sig}`))
    expect(forged.name).toBe('InvalidIdentityTokenException')

    const stranger = await failure(assume(good, '999999999999'))
    expect(stranger.name).toBe('AccessDenied')
    expect(stranger.$metadata.httpStatusCode).toBe(403)
    const denied = await failure(assume(good, DENIED))
    expect(denied.name).toBe('AccessDenied')
  })
})

describe('emulator: throttling', () => {
  it('answers Throttling once the bucket is empty', async () => {
    const emu = await startEmulator({
      accounts: [{ id: MAIN, users: [{ name: 'a' }], throttle: { rate: 1, burst: 1 } }]
    })
    try {
      const client = iam(emu, STATIC, 1)
      await client.send(new ListUsersCommand({}))
      const error = await failure(client.send(new ListUsersCommand({})))
      expect(error.name).toBe('Throttling')
      expect(error.$metadata.httpStatusCode).toBe(400)
      expect(error.message).toBe('Rate exceeded')
      expect(emu.requests.map(r => [r.status, r.throttled ?? false])).toEqual([
        [200, false],
        [400, true]
      ])
    } finally {
      await emu.close()
    }
  })

  it('lets the SDK retry throttled calls until they all succeed', async () => {
    const emu = await startEmulator({
      accounts: [{ id: MAIN, users: [{ name: 'a' }], throttle: { rate: 25, burst: 2 } }],
      latencyMs: { min: 1, max: 5 }
    })
    try {
      const client = iam(emu, STATIC, 10)
      const results = await Promise.all(
        Array.from({ length: 12 }, () => client.send(new GetAccountSummaryCommand({})))
      )
      expect(results.every(r => r.SummaryMap?.Users === 1)).toBe(true)
      const throttled = emu.requests.filter(r => r.throttled)
      expect(throttled.length).toBeGreaterThan(0)
      expect(throttled.every(r => r.status === 400 && r.errorCode === 'Throttling')).toBe(true)
      expect(emu.requests.filter(r => r.status === 200)).toHaveLength(12)
    } finally {
      await emu.close()
    }
  })
})

describe('emulator: GitHub issues', () => {
  let emu: Emulator
  let api: string
  const headers = { authorization: 'token test', 'content-type': 'application/json' }
  beforeAll(async () => {
    emu = await startEmulator({ accounts: [{ id: MAIN, users: [] }] })
    api = `${emu.githubApiUrl}/repos/acme/infra`
  })
  afterAll(async () => {
    await emu.close()
  })

  const post = (path: string, body: unknown, method = 'POST'): Promise<Response> =>
    fetch(`${api}${path}`, { method, headers, body: JSON.stringify(body) })
  const get = (path: string): Promise<Response> => fetch(`${api}${path}`, { headers })

  it('requires a token', async () => {
    const res = await fetch(`${api}/issues`)
    expect(res.status).toBe(401)
  })

  it('creates issues with labels, creating missing labels', async () => {
    const res = await post('/issues', {
      title: 'IAM access key gate: 123456789012',
      body: '<!-- iam-access-key-gate:account=123456789012 -->\nbody',
      labels: ['iam-access-key-gate', 'security']
    })
    expect(res.status).toBe(201)
    const issue = (await res.json()) as Record<string, unknown>
    expect(issue).toMatchObject({
      number: 1,
      state: 'open',
      state_reason: null,
      closed_at: null,
      comments: 0
    })
    expect((issue.labels as Array<{ name: string }>).map(l => l.name)).toEqual([
      'iam-access-key-gate',
      'security'
    ])
    expect(issue.html_url).toBe('https://github.com/acme/infra/issues/1')
    expect(issue).not.toHaveProperty('pull_request')
    expect((await get('/labels/iam-access-key-gate')).status).toBe(200)
    expect((await get('/labels/missing')).status).toBe(404)
  })

  it('lists by label with a Link header that Octokit paginates', async () => {
    await post('/issues', { title: 'two', body: 'b', labels: ['iam-access-key-gate'] })
    await post('/issues', {
      title: 'three',
      body: 'b',
      labels: ['iam-access-key-gate', 'security']
    })
    await post('/issues', { title: 'unrelated', body: 'b', labels: ['bug'] })
    const first = await get('/issues?labels=iam-access-key-gate&per_page=2')
    const link = first.headers.get('link') ?? ''
    expect(link).toContain('rel="next"')
    expect(link).toContain('rel="last"')
    expect(((await first.json()) as unknown[]).length).toBe(2)
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? ''
    const second = await fetch(next, { headers })
    expect(((await second.json()) as unknown[]).length).toBe(1)
    expect(second.headers.get('link')).not.toContain('rel="next"')

    const both = (await (
      await get('/issues?labels=iam-access-key-gate,security')
    ).json()) as Array<{ title: string }>
    expect(both.map(i => i.title).sort()).toEqual(['IAM access key gate: 123456789012', 'three'])

    const octokit = getOctokit('test', { baseUrl: emu.githubApiUrl })
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: 'acme',
      repo: 'infra',
      labels: 'iam-access-key-gate',
      state: 'all',
      per_page: 1
    })
    expect(all.map(i => i.number).sort()).toEqual([1, 2, 3])
  })

  it('closes an issue, comments on it and keeps both in state', async () => {
    const comment = await post('/issues/1/comments', { body: 'All keys comply.' })
    expect(comment.status).toBe(201)
    const closed = await post('/issues/1', { state: 'closed' }, 'PATCH')
    expect(closed.status).toBe(200)
    const issue = (await closed.json()) as Record<string, unknown>
    expect(issue).toMatchObject({ state: 'closed', state_reason: 'completed', comments: 1 })
    expect(issue.closed_at).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/))
    const comments = (await (await get('/issues/1/comments')).json()) as Array<{ body: string }>
    expect(comments.map(c => c.body)).toEqual(['All keys comply.'])
    const open = (await (await get('/issues?labels=iam-access-key-gate')).json()) as Array<{
      number: number
    }>
    expect(open.map(i => i.number)).not.toContain(1)
    expect(emu.state.github.issues.find(i => i.number === 1)?.state).toBe('closed')
  })

  it('refuses to create a label that exists, and bodies over 65,536 characters', async () => {
    const dup = await post('/labels', { name: 'Security', color: 'd73a4a' })
    expect(dup.status).toBe(422)
    const payload = (await dup.json()) as { errors: Array<{ code: string }> }
    expect(payload.errors[0]?.code).toBe('already_exists')
    const long = await post('/issues', { title: 'long', body: 'x'.repeat(65537) })
    expect(long.status).toBe(422)
  })

  it('injects faults from the scenario and at runtime', async () => {
    emu.state.github.faults.push({ method: 'POST', pathPattern: '/issues$', status: 403, times: 1 })
    const denied = await post('/issues', { title: 'denied', body: 'b' })
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-ratelimit-remaining')).toBeNull()
    expect(((await denied.json()) as { message: string }).message).toBe(
      'Resource not accessible by integration'
    )
    const ok = await post('/issues', { title: 'allowed', body: 'b' })
    expect(ok.status).toBe(201)

    emu.state.github.faults.push({ method: 'GET', pathPattern: '/labels', status: 502, times: 1 })
    const outage = await get('/labels')
    expect(outage.status).toBe(502)
    expect(outage.headers.get('content-type')).toContain('text/plain')
    expect((await get('/labels')).status).toBe(200)

    const logged = emu.requests.filter(
      r => r.service === 'github' && r.action === 'POST /repos/acme/infra/issues'
    )
    expect(logged.map(r => r.status).slice(-2)).toEqual([403, 201])
    expect(JSON.parse(logged.at(-1)?.params.body ?? '{}')).toEqual({ title: 'allowed', body: 'b' })
  })
})

describe('scenarios', () => {
  it('generates the same account from the same seed, with the requested mix', () => {
    const a = generateAccount({
      id: MAIN,
      users: 5000,
      seed: 9,
      noKeyShare: 0.2,
      violationShare: 0.1
    })
    const b = generateAccount({
      id: MAIN,
      users: 5000,
      seed: 9,
      noKeyShare: 0.2,
      violationShare: 0.1
    })
    expect(a).toEqual(b)
    expect(generateAccount({ id: MAIN, users: 50, seed: 10 })).not.toEqual(
      generateAccount({ id: MAIN, users: 50, seed: 9 })
    )
    const noKeys = a.users.filter(u => (u.keys ?? []).length === 0).length / a.users.length
    expect(noKeys).toBeGreaterThan(0.17)
    expect(noKeys).toBeLessThan(0.23)
    const active = a.users.flatMap(u => u.keys ?? []).filter(k => k.status === 'Active')
    const bad =
      active.filter(k => k.ageDays > 90 || (k.lastUsedDaysAgo ?? k.ageDays) > 45).length /
      active.length
    expect(bad).toBeGreaterThan(0.08)
    expect(bad).toBeLessThan(0.12)
  })

  it('loads the demo scenario', async () => {
    const demo = JSON.parse(
      readFileSync(new URL('../emulator/scenarios/demo.json', import.meta.url), 'utf8')
    ) as Scenario
    const emu = await startEmulator(demo)
    try {
      const account = emu.state.account('123456789012')
      expect(account?.alias).toBe('acme-prod')
      expect(account?.users.length).toBeGreaterThanOrEqual(30)
      const users = await iam(emu).send(new ListUsersCommand({ PathPrefix: '/vendor/' }))
      expect(users.Users?.length).toBeGreaterThanOrEqual(2)
      expect(emu.state.github.issues).toHaveLength(2)
    } finally {
      await emu.close()
    }
  })
})

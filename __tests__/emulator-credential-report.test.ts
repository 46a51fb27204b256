/** The emulator's credential report, through the real AWS SDK, as the action sees it. */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient
} from '@aws-sdk/client-iam'
import { parse } from 'csv-parse/sync'
import { CREDENTIAL_REPORT_HEADER, REPORT_TTL_MS } from '../emulator/credential-report.js'
import type { ScenarioAccount } from '../emulator/scenario.js'
import { startEmulator, type Emulator } from '../emulator/server.js'

const ACCOUNT = '123456789012'
let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(
  extra: Partial<ScenarioAccount> = {}
): Promise<{ emu: Emulator; iam: IAMClient }> {
  emulator = await startEmulator({
    accounts: [
      {
        id: ACCOUNT,
        rootAccessKeysPresent: true,
        users: [
          {
            name: 'nora,contractor',
            path: '/team/ops/',
            keys: [
              {
                id: 'AKIANORA000000000001',
                ageDays: 110,
                lastUsedDaysAgo: 70,
                service: 's3',
                region: 'eu-west-1'
              },
              { id: 'AKIANORA000000000002', status: 'Inactive', ageDays: 30, lastUsedDaysAgo: null }
            ]
          },
          { name: 'carol', createdDaysAgo: 700 }
        ],
        ...extra
      }
    ]
  })
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint: emulator.iamEndpoint,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' },
    maxAttempts: 1
  })
  return { emu: emulator, iam }
}

async function failure(
  promise: Promise<unknown>
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode }
  }
  throw new Error('expected the call to fail')
}

const generate = (iam: IAMClient) => iam.send(new GenerateCredentialReportCommand({}))
const get = (iam: IAMClient) => iam.send(new GetCredentialReportCommand({}))

describe('the emulated credential report', () => {
  it('is STARTED, then COMPLETE, and serves the CSV with the real header and rows', async () => {
    const { iam } = await start()
    expect(await failure(get(iam))).toEqual({
      name: 'CredentialReportNotPresentException',
      message: 'Credential report not present. Use GenerateCredentialReport to generate a report.',
      status: 410
    })
    expect(await generate(iam)).toMatchObject({
      State: 'STARTED',
      Description: 'No report exists. Starting a new report generation task'
    })
    expect((await generate(iam)).State).toBe('COMPLETE')
    const out = await get(iam)
    expect(out.ReportFormat).toBe('text/csv')
    expect(Math.abs(Date.now() - (out.GeneratedTime?.getTime() ?? 0))).toBeLessThan(10_000)
    const rows = parse(Buffer.from(out.Content ?? new Uint8Array()).toString('utf8')) as string[][]
    expect(rows[0]).toEqual([...CREDENTIAL_REPORT_HEADER])
    expect(rows[1]?.slice(0, 2)).toEqual(['<root_account>', `arn:aws:iam::${ACCOUNT}:root`])
    expect(rows[1]?.[8]).toBe('true')
    const nora = rows[2] as string[]
    expect(nora.slice(0, 2)).toEqual([
      'nora,contractor',
      `arn:aws:iam::${ACCOUNT}:user/team/ops/nora,contractor`
    ])
    expect(nora.slice(8, 18)).toEqual([
      'true',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
      expect.stringMatching(/\+00:00$/),
      'eu-west-1',
      's3',
      // Her second key is Inactive and never used: "If the user does not have an active
      // access key, the value in this field is N/A".
      'false',
      'N/A',
      'N/A',
      'N/A',
      'N/A'
    ])
    expect(rows[3]?.slice(8, 18)).toEqual(
      Array(2).fill(['false', 'N/A', 'N/A', 'N/A', 'N/A']).flat()
    )
    expect(rows).toHaveLength(4)
  })

  it('is a snapshot: a key used after generation keeps its old date until the report expires after 4 hours', async () => {
    const { emu, iam } = await start()
    await generate(iam)
    await generate(iam)
    const before = Buffer.from((await get(iam)).Content ?? new Uint8Array()).toString('utf8')
    emu.state.markKeyUsed('AKIANORA000000000001')
    expect((await generate(iam)).State).toBe('COMPLETE')
    expect(Buffer.from((await get(iam)).Content ?? new Uint8Array()).toString('utf8')).toBe(before)

    const account = emu.state.account(ACCOUNT)!
    account.credentialReport!.generatedAt -= REPORT_TTL_MS + 1000
    expect(await failure(get(iam))).toMatchObject({
      name: 'CredentialReportExpiredException',
      status: 410
    })
    expect((await generate(iam)).State).toBe('STARTED')
    const after = Buffer.from((await get(iam)).Content ?? new Uint8Array()).toString('utf8')
    expect(after).not.toBe(before)
  })

  it('answers INPROGRESS and ReportInProgress during the generation delay', async () => {
    const { iam } = await start({ credentialReport: { generationDelayMs: 60_000 } })
    expect((await generate(iam)).State).toBe('STARTED')
    expect(await generate(iam)).toMatchObject({ State: 'INPROGRESS' })
    expect(await failure(get(iam))).toMatchObject({
      name: 'CredentialReportNotReadyException',
      status: 404
    })
  })

  it('serves seeded content and injected faults', async () => {
    const { emu, iam } = await start({
      credentialReport: { content: 'not,a,report\n' },
      faults: [{ action: 'GenerateCredentialReport', code: 'LimitExceeded', times: 1 }]
    })
    expect(await failure(generate(iam))).toMatchObject({
      name: 'LimitExceededException',
      status: 409
    })
    await generate(iam)
    await generate(iam)
    expect(Buffer.from((await get(iam)).Content ?? new Uint8Array()).toString('utf8')).toBe(
      'not,a,report\n'
    )
    expect(emu.requests.map(r => [r.action, r.status])).toEqual([
      ['GenerateCredentialReport', 409],
      ['GenerateCredentialReport', 200],
      ['GenerateCredentialReport', 200],
      ['GetCredentialReport', 200]
    ])
  })
})

import { describe, expect, it } from '@jest/globals'
import type { CredentialReportUse } from '../src/model.js'
import { credentialReportLine } from '../src/summary.js'
import { makeKey } from './helpers/keys.js'
import { render } from './helpers/render.js'

const USED: CredentialReportUse = {
  generatedAt: new Date('2026-12-03T01:12:34.000Z'),
  fallbackReason: null,
  usersNotListed: 3,
  usersNotInReport: 1,
  keysFromReport: 1,
  keysAskedLive: 1
}

describe('the credential report in the summary and the report file', () => {
  const keys = [
    {
      ...makeKey({ ageDays: 200, lastUsedDaysAgo: 3, user: 'from-report' }),
      lastUsedSource: 'credential-report' as const
    },
    {
      ...makeKey({ ageDays: 60, lastUsedDaysAgo: 50, user: 'asked-live' }),
      lastUsedSource: 'api' as const
    }
  ]

  it('says when the report was generated, what it settled, and why unlisted users cannot break policy', () => {
    const { report, markdown } = render(keys, { credentialReport: USED })
    expect(credentialReportLine(report)).toBe(
      'Last use: from the IAM credential report generated 2026-12-03 01:12:34 UTC for 1 key it shows used within the idle thresholds ' +
        "(a key's last use can only be more recent than the report says); asked live (GetAccessKeyLastUsed) for 1 key. " +
        'Ages always come from ListAccessKeys. The keys of 4 users were not listed (3 without a key in the report, 1 created since): ' +
        'a key created after the report was generated may be missing from this summary, but it is younger than the report, so it is neither older than ' +
        '90 days nor unused for over 45 days and cannot break policy. ' +
        'So may an Inactive key that was never used, which the report shows as no key: it cannot be used while it stays inactive.\n\n'
    )
    expect(markdown).toContain(credentialReportLine(report))
    expect(markdown).toContain('2026-11-30 (3 days ago) <sub>credential report</sub>')
    expect(markdown).toMatch(/2026-10-14 \(50 days ago\) \|/)
    expect(report.credentialReport).toEqual({
      generatedAt: '2026-12-03T01:12:34.000Z',
      fallbackReason: null,
      keysFromReport: 1,
      keysAskedLive: 1,
      usersWithoutKeyInReport: 3,
      usersCreatedSinceReport: 1
    })
    expect(report.keys.map(k => [k.user, k.lastUsedSource])).toEqual([
      ['asked-live', 'api'],
      ['from-report', 'credential-report']
    ])
  })

  it('says the report could not be used, and why', () => {
    const { report } = render(keys, {
      credentialReport: {
        ...USED,
        generatedAt: null,
        fallbackReason: 'GetCredentialReport failed: AccessDenied: no'
      }
    })
    expect(credentialReportLine(report)).toBe(
      'Last use: asked live (GetAccessKeyLastUsed) for every key — the credential report could not be used: GetCredentialReport failed: AccessDenied: no.\n\n'
    )
  })

  it('adds nothing in api mode, and marks rows without a key with no source', () => {
    const { report, markdown } = render(
      keys.map(({ lastUsedSource: _, ...k }) => k),
      { credentialReport: null }
    )
    expect(report.credentialReport).toBeNull()
    expect(report.keys.map(k => k.lastUsedSource)).toEqual(['api', 'api'])
    expect(credentialReportLine(report)).toBe('')
    expect(markdown).not.toContain('credential report')
    const withUnread = render([], {
      unreadUsers: [{ user: 'x', userPath: '/' }],
      rootAccessKeysPresent: true
    }).report
    expect(withUnread.keys.map(k => k.lastUsedSource)).toEqual([null, null])
  })
})

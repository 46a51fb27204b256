import { describe, expect, it } from '@jest/globals'
import { failureMessage, violationAnnotations } from '../src/gate.js'
import { byteLength, headline, SUMMARY_LIMIT_BYTES } from '../src/summary.js'
import type { KeyRecord } from '../src/model.js'
import { makeKey, POLICY } from './helpers/keys.js'
import { render } from './helpers/render.js'

describe('renderSummary', () => {
  it('puts the verdict and account in the first line', () => {
    const { markdown } = render([
      makeKey({ ageDays: 200, lastUsedDaysAgo: 1 }),
      makeKey({ ageDays: 5, lastUsedDaysAgo: 1 })
    ])
    expect(markdown.split('\n')[0]).toBe(
      '## ❌ IAM access keys: 1 key breaks policy — account 123456789012 (acme-prod)'
    )
  })

  it('says all keys are within policy when they are', () => {
    const { markdown } = render([makeKey({ ageDays: 5, lastUsedDaysAgo: 1 })])
    expect(markdown.split('\n')[0]).toBe(
      '## ✅ IAM access keys: All 1 access key within policy — account 123456789012 (acme-prod)'
    )
  })

  it('never says clean when the audit is incomplete', () => {
    const { markdown } = render([makeKey({ ageDays: 5, lastUsedDaysAgo: 1 })], {
      errors: [
        {
          user: 'bob',
          operation: 'ListAccessKeys',
          message: "Could not list access keys of user 'bob': AccessDenied: no"
        }
      ],
      complete: false
    })
    expect(markdown.split('\n')[0]).toBe(
      '## ⚠️ IAM access keys: Audit incomplete: 1 read error, no violation among what was read — account 123456789012 (acme-prod)'
    )
    expect(markdown).toContain(
      '### Could not read (1) — the audit is incomplete\n\n- Could not list access keys of user &#39;bob&#39;: AccessDenied: no\n'
    )
    expect(markdown).not.toContain('✅')
  })

  it('escapes user names so they cannot break the table or inject HTML', () => {
    const { markdown } = render([
      makeKey({ user: 'evil<script>|&co', ageDays: 200, lastUsedDaysAgo: 1, userPath: '/a|b/' })
    ])
    expect(markdown).toContain('| evil&lt;script&gt;&#124;&amp;co <sub>/a&#124;b/</sub> |')
    expect(markdown).not.toContain('<script>')
  })

  it('lists violations worst first (by days over the threshold) with age, last use as date and days ago, and reasons', () => {
    const { markdown } = render([
      makeKey({
        user: 'slightly-old',
        ageDays: 95,
        lastUsedDaysAgo: 2,
        accessKeyId: 'AKIAAAAAAAAAAAAA1111'
      }),
      makeKey({
        user: 'never-used',
        ageDays: 60,
        lastUsedDaysAgo: null,
        accessKeyId: 'AKIABBBBBBBBBBBB2222'
      }),
      makeKey({
        user: 'both',
        ageDays: 300,
        lastUsedDaysAgo: 100,
        accessKeyId: 'AKIACCCCCCCCCCCC3333'
      })
    ])
    const table = markdown.slice(
      markdown.indexOf('### Violations (3)'),
      markdown.indexOf('\n\n', markdown.indexOf('| User'))
    )
    expect(table.split('\n').slice(4)).toEqual([
      '| both | <code>AKIA…3333</code> | Active | 300 days | 2026-08-25 (100 days ago) | s3 | eu-west-1 | older than 90 days; unused for over 45 days |',
      '| never-used | <code>AKIA…2222</code> | Active | 60 days | never | — | — | never used in 60 days |',
      '| slightly-old | <code>AKIA…1111</code> | Active | 95 days | 2026-12-01 (2 days ago) | s3 | eu-west-1 | older than 90 days |'
    ])
  })

  it('folds every other key in details and never shows full key ids', () => {
    const { markdown } = render([
      makeKey({ ageDays: 5, lastUsedDaysAgo: 1, accessKeyId: 'AKIAOKOKOKOKOKOK0001' }),
      makeKey({
        ageDays: 500,
        lastUsedDaysAgo: 400,
        status: 'Inactive',
        accessKeyId: 'AKIAINACTIVEINAC0002'
      })
    ])
    expect(markdown).toContain('<details><summary>All other keys (2)</summary>')
    expect(markdown).not.toContain('AKIAOKOKOKOKOKOK0001')
    expect(markdown).toContain('<code>AKIA…0001</code>')
  })

  it('stays under the 1 MiB limit for 5,000 users and 800 violations, pointing to the report', () => {
    const keys: KeyRecord[] = []
    for (let i = 0; i < 5000; i++) {
      keys.push(
        makeKey({
          user: `service-account-with-a-long-name-${i}`,
          userPath: '/service/team-a/',
          ageDays: i < 800 ? 200 : 10,
          lastUsedDaysAgo: 1
        })
      )
      keys.push(
        makeKey({
          user: `service-account-with-a-long-name-${i}`,
          userPath: '/service/team-a/',
          ageDays: 20,
          lastUsedDaysAgo: 2
        })
      )
    }
    const { markdown, report } = render(keys)
    expect(report.totals.violation).toBe(800)
    expect(byteLength(markdown)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    expect(markdown).toContain('### Violations (800)')
    expect(markdown).toMatch(
      /_…and \d+ more not shown here \(the summary is limited to 1 MiB\): see the report file._/
    )
    expect(report.keys).toHaveLength(10_000)
  })

  it('cuts a small budget with the pointer line', () => {
    const keys = Array.from({ length: 50 }, () => makeKey({ ageDays: 200, lastUsedDaysAgo: 1 }))
    const { markdown } = render(keys, {}, 4000)
    expect(markdown).toMatch(/_…and \d+ more not shown here/)
    expect(byteLength(markdown)).toBeLessThan(5000)
  })
})

describe('headline', () => {
  it('names both a violation and an incomplete audit', () => {
    const { report } = render([makeKey({ ageDays: 200, lastUsedDaysAgo: 1 })], {
      errors: [{ user: null, operation: 'GetAccountSummary', message: 'x' }],
      complete: false
    })
    expect(headline(report)).toEqual({
      icon: '❌',
      text: '1 key breaks policy, and the audit is incomplete'
    })
  })
})

describe('failureMessage', () => {
  const gate = { failOnViolation: true, failOnError: true }

  it('says how many keys break policy and why, in one line', () => {
    const keys = [
      makeKey({ ageDays: 200, lastUsedDaysAgo: 1 }),
      makeKey({ ageDays: 100, lastUsedDaysAgo: 1 }),
      makeKey({ ageDays: 20, lastUsedDaysAgo: 50 }),
      ...Array.from({ length: 209 }, () => makeKey({ ageDays: 5, lastUsedDaysAgo: 1 }))
    ]
    const { report, rows } = render(keys)
    expect(failureMessage(report, rows, POLICY, gate)).toBe(
      '3 of 212 access keys break policy (2 older than 90 days, 1 unused for over 45 days)'
    )
  })

  it('passes when nothing is wrong, or when failing is turned off', () => {
    const ok = render([makeKey({ ageDays: 5, lastUsedDaysAgo: 1 })])
    expect(failureMessage(ok.report, ok.rows, POLICY, gate)).toBeNull()
    const bad = render([makeKey({ ageDays: 200, lastUsedDaysAgo: 1 })])
    expect(
      failureMessage(bad.report, bad.rows, POLICY, { failOnViolation: false, failOnError: true })
    ).toBeNull()
  })

  it('fails closed on an incomplete audit unless fail-on-error is off', () => {
    const { report, rows } = render([makeKey({ ageDays: 5, lastUsedDaysAgo: 1 })], {
      errors: [
        {
          user: 'bob',
          operation: 'ListAccessKeys',
          message: "Could not list access keys of user 'bob': AccessDenied: no"
        }
      ],
      unreadUsers: [{ user: 'bob', userPath: '/' }],
      complete: false
    })
    expect(failureMessage(report, rows, POLICY, gate)).toBe(
      "The audit is incomplete: 1 call failed (first: Could not list access keys of user 'bob': AccessDenied: no); see the report's errors"
    )
    expect(
      failureMessage(report, rows, POLICY, { failOnViolation: true, failOnError: false })
    ).toBeNull()
  })

  it('names root access keys', () => {
    const { report, rows } = render([], { rootAccessKeysPresent: true })
    expect(failureMessage(report, rows, POLICY, gate)).toBe('The root user has access keys')
  })
})

describe('violationAnnotations', () => {
  it('gives one per violating key, at most ten, the last saying how many more', () => {
    const keys = Array.from({ length: 13 }, (_, i) =>
      makeKey({ user: `u${String(i).padStart(2, '0')}`, ageDays: 100 + i, lastUsedDaysAgo: 1 })
    )
    const { rows } = render(keys)
    const notes = violationAnnotations(rows, POLICY, false)
    expect(notes).toHaveLength(10)
    expect(notes[0]).toMatch(/^u12 AKIA…\w{4}: older than 90 days \(age 112 days, idle 1 days\)$/)
    expect(notes[9]).toMatch(/— and 3 more violating keys: see the job summary$/)
  })
})

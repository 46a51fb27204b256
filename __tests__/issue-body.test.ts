import { describe, expect, it } from '@jest/globals'
import {
  checkedKeys,
  closeComment,
  codeSpan,
  comparableBody,
  hasMarker,
  issueMarker,
  listedKeys,
  newKeysComment,
  previousIssueOf,
  renderIssueBody,
  renderTitle,
  sameContent,
  type IssueBodyInput,
  type RunInfo
} from '../src/issue-body.js'
import { DAY_MS, judge } from '../src/judge.js'
import type { KeyRecord } from '../src/model.js'
import { buildReport } from '../src/report.js'
import { makeInventory, makeKey, NOW, POLICY } from './helpers/keys.js'
import { render } from './helpers/render.js'

const RUN: RunInfo = {
  url: 'https://github.com/acme/infra/actions/runs/42',
  id: '42',
  at: NOW
}

function input(
  keys: KeyRecord[],
  extra: Partial<IssueBodyInput> = {},
  now: Date = NOW
): IssueBodyInput {
  const inventory = makeInventory(keys)
  const rows = judge(inventory, POLICY, now)
  return {
    report: buildReport(inventory, rows, POLICY, now, false),
    rows,
    policy: POLICY,
    revealKeyIds: false,
    run: { ...RUN, at: now },
    previous: null,
    ...extra
  }
}

const legacy = (): KeyRecord =>
  makeKey({
    user: 'legacy-etl',
    accessKeyId: 'AKIALEGACYETL0000001',
    ageDays: 212,
    lastUsedDaysAgo: 3
  })
const forgotten = (): KeyRecord =>
  makeKey({ user: 'forgotten', accessKeyId: 'AKIAFORGOTTEN0000002', ageDays: 60 })
const idle = (): KeyRecord =>
  makeKey({
    user: 'two-keys',
    accessKeyId: 'AKIATWOKEYSIDLE00004',
    ageDays: 80,
    lastUsedDaysAgo: 50
  })

describe('renderIssueBody', () => {
  it('renders the verdict, the keys to fix worst first, the policy, the run and the marker', () => {
    const body = renderIssueBody(
      input([
        legacy(),
        forgotten(),
        idle(),
        makeKey({ user: 'fine', ageDays: 3, lastUsedDaysAgo: 1 })
      ])
    )
    expect(body).toBe(
      '## ❌ IAM access keys: 3 keys break policy — account 123456789012 (`acme-prod`)\n\n' +
        '**Policy:** an active key breaks it when older than **90 days** or unused for over **45 days** (a never-used key counts from its creation).\n\n' +
        '### Keys to fix (3)\n\n' +
        'Tick a key once it is fixed; the next run drops fixed keys from this list and closes this issue when none is left.\n\n' +
        '- [ ] `legacy-etl` `AKIA…0001` — created 2026-05-05, in use · older than 90 days → **rotate it**: create a new key, move its users over, then deactivate and delete this one\n' +
        '- [ ] `forgotten` `AKIA…0002` — created 2026-10-04, never used · never used in over 45 days → **deactivate it**, then delete it\n' +
        '- [ ] `two-keys` `AKIA…0004` — created 2026-09-14, last used 2026-10-14 by `s3` · unused for over 45 days → **deactivate it**, then delete it\n' +
        '\n' +
        '<sub>Last checked 2026-12-03 02:00 UTC by [workflow run 42](https://github.com/acme/infra/actions/runs/42) of IAM Access Key Gate.</sub>\n' +
        '<!-- iam-access-key-gate:account=123456789012 -->\n'
    )
  })

  it('folds warnings below the keys to fix, and links the issue it follows', () => {
    const policy = { ...POLICY, warnAgeDays: 60 }
    const inventory = makeInventory([
      legacy(),
      makeKey({
        user: 'soon',
        accessKeyId: 'AKIASOON000000000007',
        ageDays: 70,
        lastUsedDaysAgo: 1
      })
    ])
    const rows = judge(inventory, policy, NOW)
    const body = renderIssueBody({
      ...input([]),
      report: buildReport(inventory, rows, policy, NOW, false),
      rows,
      policy,
      previous: 7
    })
    expect(body).toContain(
      '<details><summary>Warnings (1): not out of policy yet</summary>\n\n- `soon` `AKIA…0007` — created 2026-09-24, in use · older than 60 days\n\n</details>\n\n'
    )
    expect(body).toContain('; it warns after 60 days.')
    expect(body).toContain(
      'This follows #7, closed when the account was last within policy.\n\n<sub>'
    )
    expect(previousIssueOf(body)).toBe(7)
    expect(listedKeys(body)).toEqual(['legacy-etl AKIA…0001'])
  })

  it('says an incomplete audit is incomplete', () => {
    const { report, rows } = render([legacy()], {
      errors: [{ user: 'bob', operation: 'ListAccessKeys', message: 'AccessDenied' }],
      complete: false
    })
    const body = renderIssueBody({ ...input([]), report, rows })
    expect(body).toContain(
      '> [!WARNING]\n> The audit is incomplete: 1 call failed, so keys it could not read may break policy too.'
    )
  })

  it('names root access keys', () => {
    const { report, rows } = render([], { rootAccessKeysPresent: true })
    const body = renderIssueBody({ ...input([]), report, rows })
    expect(body).toContain(
      '- [ ] `<root_account>` · the root user has access keys → **delete them** (root keys are never needed)\n'
    )
    expect(listedKeys(body)).toEqual(['<root_account>'])
  })

  it('cannot be made to mention people, reference issues or inject Markdown by user names', () => {
    const names = ['@octocat', 'ops+#123', 'a=b,c.d_e-f', '@github/security']
    const body = renderIssueBody(
      input(
        names.map((user, i) =>
          makeKey({
            user,
            accessKeyId: `AKIAINJECT00000000${i}0`,
            ageDays: 200,
            lastUsedDaysAgo: 1
          })
        )
      )
    )
    for (const name of names) expect(body).toContain(`\`${name}\``)
    const outsideCode = body.replace(/`[^`]*`/g, '')
    expect(outsideCode).not.toContain('@')
    expect(outsideCode).not.toMatch(/#\d/)
  })

  it('keeps a user path with backticks inside its code span', () => {
    expect(codeSpan('a`b')).toBe('``a`b``')
    expect(codeSpan('`x')).toBe('`` `x ``')
    expect(codeSpan('line\nbreak')).toBe('`line break`')
  })

  it('stays within its budget and says how many keys it left out', () => {
    const keys = Array.from({ length: 900 }, (_, i) =>
      makeKey({
        user: `svc-${String(i).padStart(4, '0')}`,
        ageDays: 100 + (i % 50),
        lastUsedDaysAgo: 1
      })
    )
    const body = renderIssueBody(input(keys))
    expect(body.length).toBeLessThanOrEqual(65_000)
    const shown = listedKeys(body).length
    expect(body).toContain(`\n- …and ${900 - shown} more — see the run's summary\n`)
    expect(shown).toBeGreaterThan(300)
    expect(body.endsWith(`${issueMarker('123456789012')}\n`)).toBe(true)
  })

  it('does not change the next night when the same keys still break policy (regression: nightly rewrites)', () => {
    const tomorrow = new Date(NOW.getTime() + DAY_MS)
    const tonight = renderIssueBody(input([legacy(), forgotten(), idle()]))
    // The old key was used again today: its last use moved, its problem did not.
    const used = { ...legacy(), lastUsedDate: tomorrow }
    const next = renderIssueBody(
      input(
        [used, forgotten(), idle()],
        { run: { url: 'https://github.com/acme/infra/actions/runs/43', id: '43', at: tomorrow } },
        tomorrow
      )
    )
    expect(next).not.toBe(tonight)
    expect(sameContent(tonight, next)).toBe(true)
  })

  it('sees a new key, a fixed key and a changed reason as changes', () => {
    const base = renderIssueBody(input([legacy(), forgotten()]))
    expect(sameContent(base, renderIssueBody(input([legacy(), forgotten(), idle()])))).toBe(false)
    expect(sameContent(base, renderIssueBody(input([legacy()])))).toBe(false)
    const nowIdleToo = { ...legacy(), lastUsedDate: new Date(NOW.getTime() - 100 * DAY_MS) }
    expect(sameContent(base, renderIssueBody(input([nowIdleToo, forgotten()])))).toBe(false)
  })

  it('ignores ticks and line endings when comparing, and keeps ticks when rewriting', () => {
    const body = renderIssueBody(input([legacy(), forgotten()]))
    const ticked = body.replace('- [ ] `forgotten`', '- [x] `forgotten`').replace(/\n/g, '\r\n')
    expect(sameContent(ticked, body)).toBe(true)
    expect(checkedKeys(ticked)).toEqual(new Set(['forgotten AKIA…0002']))
    const rewritten = renderIssueBody(
      input([legacy(), forgotten(), idle()], { checked: checkedKeys(ticked) })
    )
    expect(rewritten).toContain('- [x] `forgotten` `AKIA…0002`')
    expect(rewritten).toContain('- [ ] `two-keys` `AKIA…0004`')
  })

  it('drops only the run line from the comparison', () => {
    expect(comparableBody('a\r\n<sub>Last checked 2026-12-03 by x</sub>\r\nb  \n')).toBe('a\nb')
  })
})

describe('the marker', () => {
  it('tells account 1 from account 12', () => {
    expect(hasMarker(issueMarker('123456789012'), '123456789012')).toBe(true)
    expect(hasMarker(issueMarker('123456789012'), '12345678901')).toBe(false)
    expect(hasMarker(null, '123456789012')).toBe(false)
  })
})

describe('titles and comments', () => {
  it('fills {account} and {alias}, with the account id when there is no alias', () => {
    expect(renderTitle('Keys of {alias} ({account})', '123456789012', 'acme-prod')).toBe(
      'Keys of acme-prod (123456789012)'
    )
    expect(renderTitle('Keys of {alias}', '123456789012', null)).toBe('Keys of 123456789012')
  })

  it('names at most 20 new keys in a comment', () => {
    const i = input(
      Array.from({ length: 23 }, (_, n) =>
        makeKey({
          user: `u${n}`,
          accessKeyId: `AKIANEW0000000000${String(n).padStart(3, '0')}`,
          ageDays: 100,
          lastUsedDaysAgo: 1
        })
      )
    )
    const text = newKeysComment(i.rows, POLICY, false, RUN)
    expect(text.split('\n')[0]).toBe(
      '**23 more keys out of policy** since the last update ([workflow run 42](https://github.com/acme/infra/actions/runs/42)):'
    )
    expect(text.match(/^- `u/gm)).toHaveLength(20)
    expect(text.endsWith('- …and 3 more\n')).toBe(true)
  })

  it('closes with the run link, or the words for a run outside GitHub Actions', () => {
    expect(closeComment(RUN)).toBe(
      'All access keys are within policy as of [workflow run 42](https://github.com/acme/infra/actions/runs/42).'
    )
    expect(closeComment({ url: null, id: null, at: NOW })).toBe(
      'All access keys are within policy as of a run outside GitHub Actions.'
    )
  })
})

import { describe, expect, it } from '@jest/globals'
import { InputError, parseConfig, type InputName } from '../src/config.js'
import { latestUntil, parseDay, parseExemptions, untilProblem } from '../src/exemptions.js'
import { NOW } from './helpers/keys.js'

// NOW is 2026-12-03T02:00Z: a year ahead is 2027-12-03.
const parse = (text: string) => parseExemptions(text, NOW)

describe('parseExemptions: valid lists', () => {
  it('reads each selector with until and reason', () => {
    const { exemptions, problems } = parse(`
- user: legacy-vendor
  until: 2027-03-31
  reason: SEC-123 vendor rotates in March
- access-key-id: AKIAIOSFODNN7EXAMPLE
  until: '2027-01-15'
  reason: migration
- path: /vendor/
  until: 2027-12-03
  reason: vendor accounts, owner @alice
- user: etl-*
  until: 2026-12-01
  reason: lapsed
`)
    expect(problems).toEqual([])
    expect(exemptions).toEqual([
      {
        entry: 0,
        selector: { user: 'legacy-vendor' },
        until: '2027-03-31',
        reason: 'SEC-123 vendor rotates in March'
      },
      {
        entry: 1,
        selector: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' },
        until: '2027-01-15',
        reason: 'migration'
      },
      {
        entry: 2,
        selector: { path: '/vendor/' },
        until: '2027-12-03',
        reason: 'vendor accounts, owner @alice'
      },
      { entry: 3, selector: { user: 'etl-*' }, until: '2026-12-01', reason: 'lapsed' }
    ])
  })

  it('an empty input is no exemptions', () => {
    expect(parse('  \n')).toEqual({ exemptions: [], problems: [] })
  })

  it('a date in the past is not an input error (that exemption is reported as expired)', () => {
    expect(parse('- user: a\n  until: 2020-01-01\n  reason: old').problems).toEqual([])
  })
})

describe('parseExemptions: each invalid shape has its own message', () => {
  it.each([
    [
      'missing reason',
      '- user: a\n  until: 2027-01-01',
      ['exemptions[0].reason is required: say why the key is accepted (a ticket, an owner)']
    ],
    [
      'empty reason',
      "- user: a\n  until: 2027-01-01\n  reason: ''",
      ['exemptions[0].reason is required: say why the key is accepted (a ticket, an owner)']
    ],
    [
      'missing until',
      '- user: a\n  reason: x',
      ['exemptions[0].until is required: the last day the exemption applies (YYYY-MM-DD)']
    ],
    [
      'bad date',
      '- user: a\n  until: 2027-01-01\n  reason: x\n- user: b\n  until: 2027-01-01\n  reason: x\n- user: c\n  until: 2027-02-30\n  reason: x',
      ["exemptions[2].until: '2027-02-30' is not a date (YYYY-MM-DD, such as 2027-03-31)"]
    ],
    [
      'a date with a time',
      '- user: a\n  until: 2027-01-01T00:00:00Z\n  reason: x',
      ["exemptions[0].until: '2027-01-01T00:00:00Z' is not a date (YYYY-MM-DD, such as 2027-03-31)"]
    ],
    [
      'more than 365 days ahead',
      '- user: a\n  until: 2027-12-04\n  reason: x',
      ["exemptions[0].until: '2027-12-04' is more than 365 days ahead (latest allowed: 2027-12-03)"]
    ],
    [
      'two selectors',
      '- user: a\n  path: /vendor/\n  until: 2027-01-01\n  reason: x',
      ['exemptions[0] has both user and path; give exactly one of user, access-key-id or path']
    ],
    [
      'no selector',
      '- until: 2027-01-01\n  reason: x',
      ['exemptions[0] needs one of user, access-key-id or path']
    ],
    [
      'unknown field',
      '- user: a\n  until: 2027-01-01\n  reason: x\n  expires: soon',
      ["exemptions[0]: unknown field 'expires'; allowed: user, access-key-id, path, until, reason"]
    ],
    [
      'not a list (a mapping)',
      'user: a\nuntil: 2027-01-01\nreason: x',
      [
        'exemptions must be a YAML list of entries, each with one of user, access-key-id or path, plus until (YYYY-MM-DD) and reason, got a mapping'
      ]
    ],
    [
      'not a list (a word)',
      'legacy-vendor',
      [
        "exemptions must be a YAML list of entries, each with one of user, access-key-id or path, plus until (YYYY-MM-DD) and reason, got 'legacy-vendor'"
      ]
    ],
    [
      'an entry that is not a mapping',
      '- legacy-vendor',
      [
        'exemptions[0] must be a mapping with one of user, access-key-id or path, plus until and reason'
      ]
    ],
    [
      'the root user',
      '- user: <root_account>\n  until: 2027-01-01\n  reason: x',
      [
        "exemptions[0].user: '<root_account>' is not an IAM user name or glob (letters, digits, + = , . @ _ - and the wildcards * ?); root user keys cannot be exempted"
      ]
    ],
    [
      'a bad key id',
      '- access-key-id: akia-nope\n  until: 2027-01-01\n  reason: x',
      [
        "exemptions[0].access-key-id: 'akia-nope' is not an access key id (16 to 128 upper-case letters and digits, such as AKIAIOSFODNN7EXAMPLE)"
      ]
    ],
    [
      'a path without slashes',
      '- path: vendor\n  until: 2027-01-01\n  reason: x',
      [
        "exemptions[0].path: 'vendor' is not an IAM path prefix (starts and ends with /, such as /vendor/)"
      ]
    ],
    [
      'a list as a value',
      '- user: [a, b]\n  until: 2027-01-01\n  reason: x',
      ['exemptions[0].user must be a single value, not a list or mapping']
    ]
  ])('%s', (label, text, problems) => {
    const result = parse(text)
    expect(result.problems).toEqual(problems)
    // Only the entries without a problem survive (two in the 'bad date' list).
    expect(result.exemptions).toHaveLength(label === 'bad date' ? 2 : 0)
  })

  it('bad YAML says so', () => {
    expect(parse('- user: a\n  until: [2027').problems[0]).toMatch(
      /^exemptions is not valid YAML: /
    )
  })

  it('lists every problem of every entry at once', () => {
    expect(parse('- user: a\n- path: /x/\n  until: 2027-13-01\n  reason: y').problems).toEqual([
      'exemptions[0].until is required: the last day the exemption applies (YYYY-MM-DD)',
      'exemptions[0].reason is required: say why the key is accepted (a ticket, an owner)',
      "exemptions[1].until: '2027-13-01' is not a date (YYYY-MM-DD, such as 2027-03-31)"
    ])
  })
})

describe('dates', () => {
  it('knows real calendar days', () => {
    expect(parseDay('2028-02-29')?.toISOString()).toBe('2028-02-29T00:00:00.000Z')
    expect(parseDay('2027-02-29')).toBeNull()
    expect(parseDay('2027-1-01')).toBeNull()
  })

  it('allows exactly 365 days ahead of the run day, not 366', () => {
    expect(latestUntil(NOW)).toBe('2027-12-03')
    expect(untilProblem('2027-12-03', NOW)).toBeNull()
    expect(untilProblem('2027-12-04', NOW)).not.toBeNull()
  })
})

describe('parseConfig runs the exemption parser before anything else', () => {
  const inputs =
    (values: Partial<Record<InputName, string>>) =>
    (name: InputName): string =>
      values[name] ?? ''

  it('fails with the entry and field named, next to other bad inputs', () => {
    let error: unknown
    try {
      parseConfig(
        inputs({
          exemptions: '- user: a\n  until: 2027-02-30\n  reason: x',
          deactivate: 'yes'
        }),
        NOW
      )
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toBe(
      [
        '2 inputs are invalid:',
        "- exemptions[0].until: '2027-02-30' is not a date (YYYY-MM-DD, such as 2027-03-31)",
        "- deactivate must be one of idle, age, idle-and-age, off, got 'yes'"
      ].join('\n')
    )
  })

  it('measures "365 days ahead" from the clock it is given', () => {
    const text = '- user: a\n  until: 2027-12-03\n  reason: x'
    expect(parseConfig(inputs({ exemptions: text }), NOW).exemptions).toHaveLength(1)
    expect(() =>
      parseConfig(inputs({ exemptions: text }), new Date('2026-12-02T23:00:00Z'))
    ).toThrow(
      "exemptions[0].until: '2027-12-03' is more than 365 days ahead (latest allowed: 2027-12-02)"
    )
  })

  it('reads the list and choice inputs of the policy', () => {
    const config = parseConfig(
      inputs({
        'include-paths': '/service/\n/team/*/',
        'exclude-users': 'break-glass, temp-?',
        'multiple-active-keys': 'fail',
        'max-inactive-days': '180',
        deactivate: 'idle-and-age',
        'dry-run': 'true',
        'user-tags': 'true',
        'allow-tag-relaxation': 'true'
      }),
      NOW
    )
    expect(config).toMatchObject({
      scope: { includePaths: ['/service/', '/team/*/'], excludeUsers: ['break-glass', 'temp-?'] },
      policy: { multipleActiveKeys: 'fail', maxInactiveDays: 180 },
      deactivate: 'idle-and-age',
      dryRun: true,
      userTags: true,
      allowTagRelaxation: true
    })
  })

  it.each([
    [
      'include-paths',
      'service',
      "include-paths: 'service' is not an IAM path prefix (starts with /, such as /service/ or /team/*/; * and ? are wildcards)"
    ],
    [
      'exclude-users',
      'a b',
      "exclude-users: 'a b' is not an IAM user name or glob (letters, digits, + = . @ _ - and the wildcards * ?)"
    ],
    [
      'multiple-active-keys',
      'error',
      "multiple-active-keys must be one of warn, fail, off, got 'error'"
    ],
    [
      'max-inactive-days',
      '0',
      "max-inactive-days must be a whole number of days from 1 to 3650, or empty, got '0'"
    ],
    [
      'dry-run',
      'maybe',
      "dry-run must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got 'maybe'"
    ]
  ] as const)('%s: %s', (name, value, message) => {
    expect(() => parseConfig(inputs({ [name]: value }), NOW)).toThrow(message)
  })
})

import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_DEFAULTS, parseConfig } from '../src/config.js'
import { inputs, problemOf } from './helpers/inputs.js'

describe('parseConfig', () => {
  it('gives the documented defaults when no input is set', () => {
    const config = parseConfig(inputs({}))
    expect(config).toEqual({
      roleToAssume: null,
      awsRegion: 'us-east-1',
      audience: 'sts.amazonaws.com',
      roleSessionName: 'iam-access-key-gate',
      policy: {
        maxAgeDays: 90,
        maxIdleDays: 45,
        warnAgeDays: null,
        warnIdleDays: null,
        multipleActiveKeys: 'warn',
        maxInactiveDays: null
      },
      failOnViolation: true,
      failOnError: true,
      reportPath: null,
      revealKeyIds: false,
      exemptions: [],
      userTags: false,
      allowTagRelaxation: false,
      scope: { includePaths: [], excludeUsers: [] },
      deactivate: 'off',
      createIssue: false,
      githubToken: null,
      issueTitle: 'IAM access keys out of policy in account {account}',
      issueLabels: ['iam-access-keys', 'security'],
      issueAssignees: [],
      dryRun: false,
      lastUsedSource: 'api',
      credentialReportWaitSeconds: 120,
      maxConcurrency: 64,
      accounts: [],
      accountRoleName: 'IamAccessKeyGate',
      organization: false,
      organizationOus: []
    })
    expect(Object.isFrozen(config)).toBe(true)
    expect(Object.isFrozen(config.policy)).toBe(true)
  })

  it('reads every input', () => {
    const config = parseConfig(
      inputs({
        'role-to-assume': 'arn:aws-us-gov:iam::123456789012:role/ci/iam-access-key-gate',
        'aws-region': 'us-gov-west-1',
        audience: 'sts.amazonaws.com',
        'role-session-name': 'nightly-audit',
        'max-age-days': '30',
        'max-idle-days': '7',
        'warn-age-days': '20',
        'warn-idle-days': '5',
        'fail-on-violation': 'False',
        'fail-on-error': 'TRUE',
        'report-path': 'out/report.json',
        'reveal-key-ids': 'true',
        'last-used-source': 'credential-report',
        'credential-report-wait-seconds': '30'
      })
    )
    expect(config).toMatchObject({
      roleToAssume: 'arn:aws-us-gov:iam::123456789012:role/ci/iam-access-key-gate',
      awsRegion: 'us-gov-west-1',
      roleSessionName: 'nightly-audit',
      policy: { maxAgeDays: 30, maxIdleDays: 7, warnAgeDays: 20, warnIdleDays: 5 },
      failOnViolation: false,
      failOnError: true,
      reportPath: 'out/report.json',
      revealKeyIds: true,
      lastUsedSource: 'credential-report',
      credentialReportWaitSeconds: 30
    })
  })

  it.each([
    'arn:aws:iam::123456789012:role/gate',
    'arn:aws-cn:iam::123456789012:role/gate',
    'arn:aws-us-gov:iam::123456789012:role/a/b/gate'
  ])('accepts the role ARN %s', arn =>
    expect(parseConfig(inputs({ 'role-to-assume': arn })).roleToAssume).toBe(arn)
  )

  it.each([
    [
      'max-age-days',
      'ninety',
      "max-age-days must be a whole number of days from 1 to 3650, got 'ninety'"
    ],
    ['max-age-days', '0', "max-age-days must be a whole number of days from 1 to 3650, got '0'"],
    [
      'max-age-days',
      '3651',
      "max-age-days must be a whole number of days from 1 to 3650, got '3651'"
    ],
    [
      'max-idle-days',
      '4.5',
      "max-idle-days must be a whole number of days from 1 to 3650, got '4.5'"
    ],
    [
      'max-idle-days',
      '-1',
      "max-idle-days must be a whole number of days from 1 to 3650, got '-1'"
    ],
    [
      'warn-age-days',
      'soon',
      "warn-age-days must be a whole number of days from 1 to 3650, or empty, got 'soon'"
    ],
    ['warn-age-days', '90', "warn-age-days must be less than max-age-days (90), got '90'"],
    ['warn-idle-days', '50', "warn-idle-days must be less than max-idle-days (45), got '50'"],
    [
      'fail-on-violation',
      'yes',
      "fail-on-violation must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got 'yes'"
    ],
    [
      'fail-on-error',
      '1',
      "fail-on-error must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got '1'"
    ],
    [
      'reveal-key-ids',
      'on',
      "reveal-key-ids must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got 'on'"
    ],
    [
      'last-used-source',
      'report',
      "last-used-source must be api (ask every key live) or credential-report (the IAM credential report first), got 'report'"
    ],
    [
      'credential-report-wait-seconds',
      '0',
      "credential-report-wait-seconds must be a whole number of seconds from 1 to 900, got '0'"
    ],
    [
      'credential-report-wait-seconds',
      '2m',
      "credential-report-wait-seconds must be a whole number of seconds from 1 to 900, got '2m'"
    ],
    [
      'role-to-assume',
      'my-role',
      "role-to-assume must be an IAM role ARN such as arn:aws:iam::123456789012:role/iam-access-key-gate (partition aws, aws-cn or aws-us-gov), got 'my-role'"
    ],
    [
      'role-to-assume',
      'arn:aws:iam::12345:role/gate',
      "role-to-assume must be an IAM role ARN such as arn:aws:iam::123456789012:role/iam-access-key-gate (partition aws, aws-cn or aws-us-gov), got 'arn:aws:iam::12345:role/gate'"
    ],
    [
      'role-to-assume',
      'arn:aws:iam::123456789012:user/gate',
      "role-to-assume must be an IAM role ARN such as arn:aws:iam::123456789012:role/iam-access-key-gate (partition aws, aws-cn or aws-us-gov), got 'arn:aws:iam::123456789012:user/gate'"
    ],
    [
      'aws-region',
      'Frankfurt',
      "aws-region must be an AWS region code such as us-east-1, cn-north-1 or us-gov-west-1, got 'Frankfurt'"
    ],
    ['audience', 'sts amazonaws', "audience must not contain white space, got 'sts amazonaws'"],
    [
      'role-session-name',
      'a b',
      "role-session-name must be 2 to 64 characters of letters, digits and + = , . @ _ -, got 'a b'"
    ]
  ] as const)('%s: %j → %s', (name, value, message) => {
    expect(problemOf({ [name]: value })).toBe(message)
  })

  it('lists every bad input at once', () => {
    expect(problemOf({ 'max-age-days': 'ninety', 'fail-on-error': 'maybe' })).toBe(
      "2 inputs are invalid:\n- max-age-days must be a whole number of days from 1 to 3650, got 'ninety'\n" +
        "- fail-on-error must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got 'maybe'"
    )
  })

  it('reads the tracking issue inputs', () => {
    const config = parseConfig(
      inputs({
        'create-issue': 'true',
        'github-token': 'ghs_secret',
        'issue-title': 'Keys of {alias} ({account})',
        'issue-labels': ' security , aws-keys ',
        'issue-assignees': 'octocat, @mona-lisa',
        'dry-run': 'True'
      })
    )
    expect(config).toMatchObject({
      createIssue: true,
      githubToken: 'ghs_secret',
      issueTitle: 'Keys of {alias} ({account})',
      issueLabels: ['security', 'aws-keys'],
      issueAssignees: ['octocat', 'mona-lisa'],
      dryRun: true
    })
    expect(Object.isFrozen(config.issueLabels)).toBe(true)
  })

  it.each([
    [
      { 'create-issue': 'true' },
      "github-token must be set when create-issue is true (the default is '${{ github.token }}', which needs `permissions: issues: write`), got ''"
    ],
    [
      { 'issue-labels': 'security,,aws' },
      "issue-labels must be a comma-separated list of label names, entry 2 is empty, got 'security,,aws'"
    ],
    [
      { 'issue-labels': `ok,${'x'.repeat(51)}` },
      `issue-labels entry 2 must be at most 50 characters, got '${'x'.repeat(51)}'`
    ],
    [
      { 'issue-assignees': 'octocat,mona lisa' },
      "issue-assignees entry 2 must be a GitHub login (letters, digits and single hyphens, at most 39 characters), got 'mona lisa'"
    ],
    [
      { 'issue-assignees': 'octocat,' },
      "issue-assignees must be a comma-separated list of GitHub logins, entry 2 is empty, got 'octocat,'"
    ],
    [
      { 'issue-assignees': 'a--b' },
      "issue-assignees entry 1 must be a GitHub login (letters, digits and single hyphens, at most 39 characters), got 'a--b'"
    ],
    [
      { 'issue-assignees': 'a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11' },
      "issue-assignees may name at most 10 people (GitHub's limit per issue), got 11"
    ],
    [
      { 'issue-title': 'Keys of {acount}' },
      "issue-title may use the placeholders {account} and {alias} only, got 'Keys of {acount}' (unknown: {acount})"
    ],
    [
      { 'dry-run': 'yes' },
      "dry-run must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got 'yes'"
    ],
    [
      { 'create-issue': 'on', 'github-token': 'x' },
      "create-issue must be true or false (YAML 1.2 core schema: true | True | TRUE | false | False | FALSE), got 'on'"
    ]
  ] as const)('tracking issue input %j → %s', (values, message) => {
    expect(problemOf(values)).toBe(message)
  })

  it('needs no token while create-issue is off', () => {
    expect(parseConfig(inputs({ 'dry-run': 'true' })).githubToken).toBeNull()
  })

  it('trims white space around values', () => {
    expect(parseConfig(inputs({ 'max-age-days': ' 30 \n' })).policy.maxAgeDays).toBe(30)
  })
})

describe('action.yml', () => {
  const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: string; description?: string }>
    outputs: Record<string, { description?: string }>
    runs: { using: string; main: string }
  }

  it('declares exactly the inputs the parser reads, with the same defaults', () => {
    const declared = Object.fromEntries(
      Object.entries(action.inputs).map(([name, spec]) => [name, spec.default ?? ''])
    )
    // The one expression default: the runner fills it in, so the parser's copy is empty.
    expect(declared).toEqual({ ...INPUT_DEFAULTS, 'github-token': '${{ github.token }}' })
  })

  it('describes every input and output', () => {
    for (const spec of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(spec.description?.length ?? 0).toBeGreaterThan(10)
    }
  })

  it('declares the outputs of the design', () => {
    expect(Object.keys(action.outputs)).toEqual([
      'compliant',
      'violations',
      'warnings',
      'keys-scanned',
      'users-scanned',
      'errors',
      'report-path',
      'issue-number',
      'issue-url'
    ])
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })
})

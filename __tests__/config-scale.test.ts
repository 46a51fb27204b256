import { describe, expect, it } from '@jest/globals'
import { parseConfig, type InputName } from '../src/config.js'
import { inputs, problemOf } from './helpers/inputs.js'

describe('scale inputs', () => {
  it('reads max-concurrency', () => {
    expect(parseConfig(inputs({ 'max-concurrency': '8' })).maxConcurrency).toBe(8)
  })

  it.each(['0', '257', 'many', '1.5'])('rejects max-concurrency %p', value => {
    expect(problemOf({ 'max-concurrency': value })).toBe(
      `max-concurrency must be a whole number from 1 to 256, got '${value}'`
    )
  })
})

describe('many-account inputs', () => {
  it('reads accounts one per line or comma separated, without blanks or repeats', () => {
    const config = parseConfig(
      inputs({ accounts: '111111111111, 222222222222\n\n333333333333\n111111111111\n' })
    )
    expect(config.accounts).toEqual(['111111111111', '222222222222', '333333333333'])
    expect(config.accountRoleName).toBe('IamAccessKeyGate')
  })

  it('reads organization and its OUs', () => {
    const config = parseConfig(
      inputs({ organization: 'true', 'organization-ous': 'ou-ab12-cdef3456\nr-ab12' })
    )
    expect(config.organization).toBe(true)
    expect(config.organizationOus).toEqual(['ou-ab12-cdef3456', 'r-ab12'])
  })

  it.each([
    [
      { accounts: '111111111111,12345' },
      "accounts must be 12-digit AWS account ids, one per line or comma separated, got '12345'"
    ],
    [
      { 'account-role-name': 'bad role' },
      "account-role-name must be an IAM role name (1 to 64 letters, digits and + = , . @ _ -, optionally after a path such as ci/), got 'bad role'"
    ],
    [
      { organization: 'true', 'organization-ous': 'ou-1' },
      "organization-ous must be organizational unit ids (ou-ab12-cdef3456) or root ids (r-ab12), got 'ou-1'"
    ],
    [
      { organization: 'true', accounts: '111111111111' },
      'accounts and organization: true cannot be used together: set one of them'
    ],
    [
      { 'organization-ous': 'ou-ab12-cdef3456' },
      "organization-ous needs organization: true, got 'ou-ab12-cdef3456'"
    ]
  ])('rejects %p', (values, message) => {
    expect(problemOf(values as Partial<Record<InputName, string>>)).toBe(message)
  })
})

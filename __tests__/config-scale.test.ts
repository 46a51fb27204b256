import { describe, expect, it } from '@jest/globals'
import { InputError, parseConfig, type InputName } from '../src/config.js'

const inputs =
  (values: Partial<Record<InputName, string>>) =>
  (name: InputName): string =>
    values[name] ?? ''

const problemOf = (values: Partial<Record<InputName, string>>): string => {
  try {
    parseConfig(inputs(values))
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

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

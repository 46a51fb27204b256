import { expect } from '@jest/globals'
import { InputError, parseConfig, type InputName } from '../../src/config.js'

/** A `getInput` that answers the given values and '' (unset) for every other input. */
export const inputs =
  (values: Partial<Record<InputName, string>>) =>
  (name: InputName): string =>
    values[name] ?? ''

/** The InputError message parseConfig gives for these values; fails when there is none. */
export const problemOf = (values: Partial<Record<InputName, string>>, now?: Date): string => {
  try {
    parseConfig(inputs(values), now)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

/** The report writer: byte for byte what JSON.stringify(value, null, 2) gives, in pieces. */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jsonChunks, writeJsonFile } from '../src/json-file.js'
import { makeInventory, makeKey, NOW, POLICY } from './helpers/keys.js'
import { judge } from '../src/judge.js'
import { buildReport } from '../src/report.js'

const pretty = (value: unknown): string => JSON.stringify(value, null, 2)
const chunked = (value: unknown, depth?: number): string => [...jsonChunks(value, depth)].join('')

/** A small deterministic generator of JSON-ish values, with the awkward cases in it. */
function randomValue(seed: number, depth = 0): unknown {
  let s = seed
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648
  const leaf = (): unknown => {
    const pick = Math.floor(next() * 11)
    return [
      null,
      true,
      0,
      -1.5e-7,
      'plain',
      'quote " backslash \\ newline \n tab \t ✓ \u2028',
      new Date(Date.UTC(2026, 11, 3, 1, 2, 3)),
      undefined,
      () => 1,
      '',
      Number.NaN
    ][pick]
  }
  const build = (d: number): unknown => {
    if (d > 5 || next() < 0.3) return leaf()
    const n = Math.floor(next() * 5)
    if (next() < 0.5) return Array.from({ length: n }, () => build(d + 1))
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}:"x"`, build(d + 1)]))
  }
  return build(depth)
}

describe('jsonChunks', () => {
  it.each([
    ['an empty object', {}],
    ['an empty array', []],
    ['a string', 'text'],
    ['null', null],
    ['a Date', new Date(Date.UTC(2026, 0, 2))],
    ['nested empties', { a: [], b: {}, c: [[], {}] }],
    ['omitted values', { a: undefined, b: () => 1, c: [undefined, () => 1, Symbol('s')], d: 1 }],
    ['an object with toJSON', { when: { toJSON: () => ({ at: 'then' }) } }]
  ])('writes %s as JSON.stringify does', (_, value) => {
    expect(chunked(value)).toBe(pretty(value))
  })

  it('matches JSON.stringify on 500 random values, at every depth of walking', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const value = randomValue(seed)
      // A top-level undefined or function has no JSON text at all; a report is an object.
      if (pretty(value) === undefined) continue
      for (const depth of [0, 1, 2, 4, 8]) expect(chunked(value, depth)).toBe(pretty(value))
    }
  })

  it('matches JSON.stringify on a real report', () => {
    const inventory = makeInventory([
      makeKey({ ageDays: 400, lastUsedDaysAgo: 2 }),
      makeKey({ ageDays: 10, lastUsedDaysAgo: null }),
      makeKey({ ageDays: 100, status: 'Inactive', unknownLastUse: true })
    ])
    const report = buildReport(inventory, judge(inventory, POLICY, NOW), POLICY, NOW, false, {
      notes: ['a note']
    })
    expect(chunked(report)).toBe(pretty(report))
  })
})

describe('writeJsonFile', () => {
  it('writes the text of JSON.stringify(value, null, 2) and a newline, also past 64 KiB', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iam-gate-json-'))
    const big = {
      keys: Array.from({ length: 3000 }, (_, i) => ({ id: `AKIA${i} ✓`, at: new Date(i * 1e9) }))
    }
    await writeJsonFile(join(dir, 'big.json'), big)
    const text = readFileSync(join(dir, 'big.json'), 'utf8')
    expect(text.length).toBeGreaterThan(65_536)
    expect(text).toBe(pretty(big) + '\n')
  })

  it('fails with the file system’s error when it cannot write', async () => {
    await expect(writeJsonFile('/nonexistent-dir/x/report.json', {})).rejects.toThrow(/ENOENT/)
  })
})

import { writeFile } from 'node:fs/promises'

/**
 * The text of `JSON.stringify(value, null, 2)`, in pieces: arrays and objects down to `depth`
 * levels are walked here, anything deeper is stringified whole. A report of 7,500 keys is a
 * few megabytes of JSON; written in pieces, it never exists as one string (and the many
 * temporary strings that build it), which is where the action's memory used to peak.
 */
export function* jsonChunks(value: unknown, depth = 4, indent = ''): Generator<string> {
  const v = toJsonValue(value)
  if (depth === 0 || v === null || typeof v !== 'object') {
    // Nested lines of a value stringified whole get this level's indent, as JSON.stringify
    // would give them.
    yield (JSON.stringify(v, null, 2) ?? 'null').replace(/\n/g, `\n${indent}`)
    return
  }
  const inner = `${indent}  `
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]'
      return
    }
    yield '[\n'
    for (let i = 0; i < v.length; i++) {
      yield inner
      // An array keeps its place for a value JSON has no word for: null.
      const item: unknown = v[i]
      yield* jsonChunks(isOmitted(toJsonValue(item)) ? null : item, depth - 1, inner)
      yield i < v.length - 1 ? ',\n' : '\n'
    }
    yield `${indent}]`
    return
  }
  // An object drops a property JSON has no word for.
  const entries = Object.entries(v).filter(([, item]) => !isOmitted(toJsonValue(item)))
  if (entries.length === 0) {
    yield '{}'
    return
  }
  yield '{\n'
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]
    yield `${inner}${JSON.stringify(key)}: `
    yield* jsonChunks(item, depth - 1, inner)
    yield i < entries.length - 1 ? ',\n' : '\n'
  }
  yield `${indent}}`
}

/** What JSON.stringify would serialise in place of `value` (a Date's string, say). */
function toJsonValue(value: unknown): unknown {
  const withToJson = value as { toJSON?: unknown } | null
  return typeof withToJson?.toJSON === 'function' ? (withToJson.toJSON as () => unknown)() : value
}

function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol'
}

/** The chunks joined into pieces of about `size` characters. */
function* pieces(chunks: Iterable<string>, size: number): Generator<string> {
  let pending: string[] = []
  let length = 0
  for (const chunk of chunks) {
    pending.push(chunk)
    length += chunk.length
    if (length >= size) {
      yield pending.join('')
      pending = []
      length = 0
    }
  }
  if (pending.length > 0) yield pending.join('')
}

/**
 * Writes `value` to `path` as `JSON.stringify(value, null, 2)` plus a newline would, in
 * pieces of about 64 KiB (`writeFile` writes each piece whole, short writes included).
 */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  function* text(): Generator<string> {
    yield* jsonChunks(value)
    yield '\n'
  }
  await writeFile(path, pieces(text(), 65_536))
}

import { createHash, randomBytes } from 'node:crypto'

/** The alphabet AWS uses for the random part of key and principal ids. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(bytes: Uint8Array, length: number): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
    if (out.length >= length) break
  }
  return out
}

/** Same seed → same id, so scenario files and fixtures stay stable across runs. */
export function derivedId(prefix: string, length: number, seed: string): string {
  return prefix + base32(createHash('sha256').update(seed).digest(), length)
}

export function randomId(prefix: string, length: number): string {
  return prefix + base32(randomBytes(Math.ceil((length * 5) / 8) + 1), length)
}

export function randomSecret(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const bytes = randomBytes(length)
  let out = ''
  for (const byte of bytes) out += alphabet[byte & 63]
  return out
}

export function accessKeyIdFor(account: string, user: string, index: number): string {
  return derivedId('AKIA', 16, `key:${account}:${user}:${index}`)
}

export function userIdFor(account: string, user: string): string {
  return derivedId('AIDA', 17, `user:${account}:${user}`)
}

export function roleIdFor(roleArn: string): string {
  return derivedId('AROA', 17, `role:${roleArn}`)
}

/** AWS timestamps on the wire: ISO 8601 in UTC, whole seconds. */
export function isoSeconds(date: Date | number): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

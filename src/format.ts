import { DAY_MS } from './judge.js'

/** `AKIA…WXYZ`: enough to tell keys apart in a public summary, not enough to be the key id. */
export function shortKeyId(id: string, reveal: boolean): string {
  if (reveal || id.length <= 8) return id
  return `${id.slice(0, 4)}…${id.slice(-4)}`
}

/**
 * Shortens every access key id in a text (an AWS error message can quote one), unless the
 * user asked to see them.
 */
export function redactKeyIds(text: string, reveal: boolean): string {
  return reveal
    ? text
    : text.replace(/\b(?:AKIA|ASIA)[A-Z0-9]{12,124}\b/g, id => shortKeyId(id, false))
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => HTML_ESCAPES[c])
}

/** Escapes text for a Markdown table cell: HTML, and `|` which would end the cell. */
export function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '&#124;').replace(/\r?\n/g, ' ')
}

/** `2026-10-01`. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** `today`, `1 day ago`, `63 days ago`. */
export function daysAgo(date: Date, now: Date): string {
  const d = Math.max(0, Math.floor((now.getTime() - date.getTime()) / DAY_MS))
  return d === 0 ? 'today' : d === 1 ? '1 day ago' : `${d} days ago`
}

/** `1 key`, `3 keys`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

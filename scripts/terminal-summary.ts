/**
 * Renders the job summary's Markdown and HTML for a terminal: headings in bold, tables as
 * aligned columns, HTML tags dropped and entities decoded. Only what our summary uses.
 */
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#124;': '|'
}

function plain(cell: string): string {
  return cell
    .replace(/<[^>]+>/g, '')
    .replace(/&(?:amp|lt|gt|quot|#39|#124);/g, e => ENTITIES[e])
    .replace(/\*\*/g, '')
    .trim()
}

export function toTerminal(markdown: string, color = process.stdout.isTTY === true): string {
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s)
  const out: string[] = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line.startsWith('|')) {
      const rows: string[][] = []
      for (; i < lines.length && lines[i].startsWith('|'); i++) {
        if (/^\|[-:| ]+\|$/.test(lines[i])) continue
        rows.push(lines[i].slice(1, -1).split(' | ').map(plain))
      }
      i--
      const widths = rows[0].map((_, c) =>
        Math.min(60, Math.max(...rows.map(r => [...(r[c] ?? '')].length)))
      )
      rows.forEach((r, n) => {
        const text = r
          .map((cell, c) =>
            cell.length > widths[c] ? cell.slice(0, widths[c] - 1) + '…' : cell.padEnd(widths[c])
          )
          .join('  ')
        out.push('  ' + (n === 0 ? bold(text) : text))
      })
      continue
    }
    const heading = /^#{2,3} (.*)$/.exec(line)
    if (heading) {
      out.push(bold(plain(heading[1])))
      continue
    }
    const details = /<details><summary>(.*)<\/summary>/.exec(line)
    if (details) {
      out.push(bold(`▸ ${plain(details[1])}`))
      continue
    }
    if (line.trim() === '</details>') continue
    out.push(plain(line.replace(/^_(.*)_$/, '$1')))
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}

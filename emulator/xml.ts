/** Just enough XML writing for the AWS query protocol: every value passes through escapeXml. */

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/'
export const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/'

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, ch => {
    switch (ch) {
      case '&':
        return '&amp;'
      case '<':
        return '&lt;'
      case '>':
        return '&gt;'
      case '"':
        return '&quot;'
      default:
        return '&apos;'
    }
  })
}

/** A leaf element; undefined leaves the element out, as AWS omits absent optional fields. */
export function text(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return ''
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** An element around children that are already XML. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`
}

/** A query-protocol list: <Name><member>…</member>…</Name>. */
export function members<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  let inner = ''
  for (const item of items) inner += `<member>${render(item)}</member>`
  return `<${name}>${inner}</${name}>`
}

/** The envelope of a successful call; a null result writes no <ActionResult> (e.g. UpdateAccessKey). */
export function queryResponse(
  action: string,
  namespace: string,
  result: string | null,
  requestId: string
): string {
  const body = result === null ? '' : node(`${action}Result`, result)
  return (
    `<${action}Response xmlns="${namespace}">${body}` +
    node('ResponseMetadata', text('RequestId', requestId)) +
    `</${action}Response>\n`
  )
}

export interface QueryErrorShape {
  type: 'Sender' | 'Receiver'
  code: string
  message: string
}

export function errorResponse(
  namespace: string,
  error: QueryErrorShape,
  requestId: string
): string {
  return (
    `<ErrorResponse xmlns="${namespace}">` +
    node(
      'Error',
      text('Type', error.type),
      text('Code', error.code),
      text('Message', error.message)
    ) +
    text('RequestId', requestId) +
    '</ErrorResponse>\n'
  )
}

// Path forms of the `/v1` endpoints: canonical paths and `:param` patterns.

/** A base URL given with `/v1` (the SDKs add it themselves) doubles it; every `/v1` route accepts that. */
const DOUBLED_VERSION = /^\/v1(?=\/v1(?:\/|$))/

/** The canonical form of a `/v1` path: no doubled `/v1`, no trailing slashes. */
export function canonicalPath(path: string): string {
  const single = path.replace(DOUBLED_VERSION, '')
  return single.length > 1 ? single.replace(/\/+$/, '') : single
}

/** Whether an endpoint path has `:param` segments. */
export const isPattern = (path: string) => path.includes('/:')

/** A `:param` path as a regular expression: each parameter is one non-empty segment. */
export function compilePattern(path: string): RegExp {
  const source = path.split('/').map(s => (s.startsWith(':') ? `(?<${s.slice(1)}>[^/]+)` : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')
  return new RegExp(`^${source}$`)
}

/**
 * The parameters of `path` under the endpoint path `pattern` (`/v1/responses/:id`), decoded;
 * undefined when it does not match.
 */
export function pathParams(pattern: string, path: string): Record<string, string> | undefined {
  const m = compilePattern(pattern).exec(path)
  if (!m) return undefined
  try {
    return Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]))
  }
  catch {
    return undefined
  }
}

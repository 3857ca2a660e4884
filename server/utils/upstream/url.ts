const VERSION_SUFFIX = /\/v\d+[a-z]*$/i

/**
 * Joins a channel base URL and an endpoint the way the Go cc-bridge does: `/v1` is inserted unless
 * the base already ends in a version segment (`/v1`, `/v4`, `/v1beta`), so both
 * `https://api.anthropic.com` and `https://open.bigmodel.cn/api/anthropic/v1` work. The inbound
 * query string (Claude Code's `?beta=true`) is kept.
 */
export function joinUpstreamUrl(baseUrl: string, endpoint: string, search = ''): string {
  const base = baseUrl.trim().replace(/\/+$/, '')
  const path = endpoint.replace(/^\/+/, '')
  const prefix = VERSION_SUFFIX.test(base) ? base : `${base}/v1`
  return `${prefix}/${path}${search}`
}

/** Query parameters that carry cc-bridge's own access key; they never go upstream. */
const CREDENTIAL_PARAMS = new Set(['key'])

/**
 * The inbound query string without cc-bridge's credential parameters (`?key=`), the others kept
 * byte for byte and in order: `?beta=true&key=…` → `?beta=true`.
 */
export function withoutCredentialParams(search: string): string {
  if (search.length <= 1) return ''
  const kept = search.slice(1).split('&').filter((pair) => {
    const eq = pair.indexOf('=')
    const name = eq < 0 ? pair : pair.slice(0, eq)
    let decoded = name
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '))
    }
    catch { /* a malformed escape is not a credential name */ }
    return !CREDENTIAL_PARAMS.has(decoded.toLowerCase())
  })
  return kept.length && kept.some(Boolean) ? `?${kept.join('&')}` : ''
}

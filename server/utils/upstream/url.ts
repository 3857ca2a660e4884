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

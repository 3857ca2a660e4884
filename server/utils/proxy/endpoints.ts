import { chatCompletions, countTokens, messages, models } from './endpoint-handlers'
import type { ProxyEndpoint } from './types'

/**
 * Every proxy endpoint, once. The fast path serves these exact paths; the Nitro catch-all under
 * `/v1` serves their variants (a trailing slash, a doubled `/v1/v1`) from the same rows, through
 * the same pipeline.
 */
export const PROXY_ENDPOINTS: readonly ProxyEndpoint[] = [
  { method: 'POST', path: '/v1/messages', protocol: 'anthropic', body: { requireModel: true }, handler: messages },
  { method: 'POST', path: '/v1/messages/count_tokens', protocol: 'anthropic', body: { requireModel: true }, handler: countTokens },
  { method: 'POST', path: '/v1/chat/completions', protocol: 'openai', body: { requireModel: true }, handler: chatCompletions },
  { method: 'GET', path: '/v1/models', protocol: 'anthropic', handler: models },
]

/** Lookups over an endpoint table, shared by the fast path and the `/v1` route. */
export interface EndpointTable {
  /** The endpoint for an exact method and canonical path: the fast path's one lookup. */
  exact(method: string, path: string): ProxyEndpoint | undefined
  /** The methods a canonical path is served with, for a 405's `Allow` (empty: unknown path). */
  allowed(path: string): string[]
}

/** Indexes a table of endpoints for lookup by method and path. */
export function createEndpointTable(endpoints: readonly ProxyEndpoint[]): EndpointTable {
  const byRoute = new Map(endpoints.map(e => [`${e.method} ${e.path}`, e]))
  return {
    exact: (method, path) => byRoute.get(`${method} ${path}`),
    allowed: path => endpoints.filter(e => e.path === path).map(e => e.method),
  }
}

/** The proxy's endpoint table. */
export const PROXY_TABLE = createEndpointTable(PROXY_ENDPOINTS)

/** A base URL given with `/v1` (the SDKs add it themselves) doubles it; every `/v1` route accepts that. */
const DOUBLED_VERSION = /^\/v1(?=\/v1(?:\/|$))/

/** The canonical form of a `/v1` path: no doubled `/v1`, no trailing slashes. */
export function canonicalPath(path: string): string {
  const single = path.replace(DOUBLED_VERSION, '')
  return single.length > 1 ? single.replace(/\/+$/, '') : single
}

import {
  chatCompletions, compactResponse, countTokens, deleteResponse, messages, model, models,
  listInputItems, refuseResponsesWebSocket, responses, retrieveResponse,
} from './endpoint-handlers'
import { compilePattern, isPattern } from './paths'
import type { ProxyEndpoint } from './types'

/**
 * Every proxy endpoint, once. The fast path serves the exact paths; the Nitro catch-all under
 * `/v1` serves their variants (a trailing slash, a doubled `/v1/v1`) and the paths with a
 * `:param` segment from the same rows, through the same pipeline.
 */
export const PROXY_ENDPOINTS: readonly ProxyEndpoint[] = [
  { method: 'POST', path: '/v1/messages', protocol: 'anthropic', body: { requireModel: true }, handler: messages },
  { method: 'POST', path: '/v1/messages/count_tokens', protocol: 'anthropic', body: { requireModel: true }, handler: countTokens },
  { method: 'POST', path: '/v1/chat/completions', protocol: 'openai', body: { requireModel: true }, handler: chatCompletions },
  { method: 'POST', path: '/v1/responses', protocol: 'openai', body: { requireModel: true }, handler: responses },
  // Codex may try Responses over WebSocket first; a quick refusal makes it use HTTP at once.
  { method: 'GET', path: '/v1/responses', protocol: 'openai', handler: refuseResponsesWebSocket },
  { method: 'POST', path: '/v1/responses/compact', protocol: 'openai', body: { requireModel: true }, handler: compactResponse },
  { method: 'GET', path: '/v1/responses/:id', protocol: 'openai', handler: retrieveResponse },
  { method: 'GET', path: '/v1/responses/:id/input_items', protocol: 'openai', handler: listInputItems },
  { method: 'DELETE', path: '/v1/responses/:id', protocol: 'openai', handler: deleteResponse },
  { method: 'GET', path: '/v1/models', protocol: 'anthropic', handler: models },
  { method: 'GET', path: '/v1/models/:id', protocol: 'openai', handler: model },
]

/** Lookups over an endpoint table, shared by the fast path and the `/v1` route. */
export interface EndpointTable {
  /** The endpoint for an exact method and canonical path: the fast path's one lookup. */
  exact(method: string, path: string): ProxyEndpoint | undefined
  /** The endpoint for a canonical path, exact rows first, then the rows with `:param` segments. */
  match(method: string, path: string): ProxyEndpoint | undefined
  /** The methods a canonical path is served with, for a 405's `Allow` (empty: unknown path). */
  allowed(path: string): string[]
}

/** Indexes a table of endpoints for lookup by method and path. */
export function createEndpointTable(endpoints: readonly ProxyEndpoint[]): EndpointTable {
  const byRoute = new Map(endpoints.filter(e => !isPattern(e.path)).map(e => [`${e.method} ${e.path}`, e]))
  const patterns = endpoints.filter(e => isPattern(e.path)).map(e => ({ endpoint: e, re: compilePattern(e.path) }))
  const exact = (method: string, path: string) => byRoute.get(`${method} ${path}`)
  return {
    exact,
    match: (method, path) => exact(method, path) ?? patterns.find(p => p.endpoint.method === method && p.re.test(path))?.endpoint,
    allowed: (path) => {
      const plain = endpoints.filter(e => e.path === path).map(e => e.method)
      return plain.length ? plain : patterns.filter(p => p.re.test(path)).map(p => p.endpoint.method)
    },
  }
}

/** The proxy's endpoint table. */
export const PROXY_TABLE = createEndpointTable(PROXY_ENDPOINTS)

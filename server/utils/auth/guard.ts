import type { H3Event } from 'h3'
import { protocolErrorBody, protocolForPath } from '../http/protocol-error'
import { isAccessKey } from '../runtime'
import { extractCredential } from './access-key'

/** @nuxt/icon serves the UI's icons under /api; they carry no data. */
const PUBLIC_API = '/api/_nuxt_icon'

/** Whether a path needs the access key: `/v1/*` and `/api/*` (the UI's data). */
export function isGuardedPath(path: string): boolean {
  return (path === '/v1' || path.startsWith('/v1/') || path === '/api' || path.startsWith('/api/')) && !path.startsWith(PUBLIC_API)
}

/**
 * Checks the access key of a request to a guarded path. Returns undefined when it may pass, or
 * the 401 body in the endpoint's own shape (cc-bridge's for /api, the protocol's for /v1).
 */
export function refuseUnauthorized(event: H3Event, path: string): string | undefined {
  const req = event.node.req
  const presented = extractCredential({
    header: name => req.headers[name] as string | undefined,
    query: name => new URL(event.path, 'http://x').searchParams.get(name) ?? undefined,
    allowQueryKey: req.method === 'GET' && String(req.headers.accept ?? '').includes('text/event-stream'),
  })
  if (isAccessKey(presented)) return undefined
  if (path.startsWith('/api')) return JSON.stringify({ error: 'Unauthorized', message: 'Invalid or missing access key' })
  return protocolErrorBody(protocolForPath(path), 401, presented ? 'Invalid access key' : 'Missing access key: send it as x-api-key or Authorization: Bearer')
}

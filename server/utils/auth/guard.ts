import type { H3Event } from 'h3'
import { extractCredential } from './access-key'

/** @nuxt/icon serves the UI's icons under /api; they carry no data. */
const PUBLIC_API = '/api/_nuxt_icon'

/** Whether an admin path needs the access key: all of `/api/*` (the UI's data) but the icons. */
export function isGuardedApiPath(path: string): boolean {
  return (path === '/api' || path.startsWith('/api/')) && !path.startsWith(PUBLIC_API)
}

/** The credential a request presents, if any (see `extractCredential` for where it may be). */
export function presentedCredential(event: H3Event): string | undefined {
  const req = event.node.req
  return extractCredential({
    header: name => req.headers[name] as string | undefined,
    query: name => new URL(event.path, 'http://x').searchParams.get(name) ?? undefined,
    allowQueryKey: req.method === 'GET' && String(req.headers.accept ?? '').includes('text/event-stream'),
  })
}

/** What a refused request is told: whether it sent no key or a wrong one. */
export function unauthorizedMessage(presented: string | undefined): string {
  return presented ? 'Invalid access key' : 'Missing access key: send it as x-api-key or Authorization: Bearer'
}

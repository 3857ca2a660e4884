import type { H3Event } from 'h3'
import { log } from '#server/utils/log'
import type { Services } from '#server/utils/services'
import { extractCredential } from './access-key'
import { clientAddress } from './client-address'

/** @nuxt/icon serves the UI's icons under /api; they carry no data. */
const PUBLIC_API = '/api/_nuxt_icon'

/**
 * The only paths where `?key=` counts as a credential: event streams a browser opens with
 * EventSource, which cannot set headers. A key in a URL ends up in access logs and browser
 * history, so everything else (admin data, `/v1`) refuses it.
 */
export const QUERY_KEY_PATHS: ReadonlySet<string> = new Set(['/api/logs/stream'])

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
    allowQueryKey: req.method === 'GET'
      && QUERY_KEY_PATHS.has(event.path.split('?', 1)[0]!)
      && String(req.headers.accept ?? '').includes('text/event-stream'),
  })
}

/** What a refused request is told: whether it sent no key or a wrong one. */
export function unauthorizedMessage(presented: string | undefined): string {
  return presented ? 'Invalid access key' : 'Missing access key: send it as x-api-key or Authorization: Bearer'
}

/** Why a request was refused, for the caller to answer in its own error shape. */
export interface AccessDenied {
  status: 401 | 429
  message: string
  headers: Record<string, string>
}

/**
 * Checks a request's access key, with the lockout against guessing: an address locked out gets
 * 429 whatever key it sends (else the lockout would still tell it when a guess is right); a
 * wrong or missing key counts as a failure, a good one clears the address's count.
 */
export function checkAccess(event: H3Event, services: Pick<Services, 'isAccessKey' | 'authLockout' | 'trustedProxies'>): AccessDenied | undefined {
  const req = event.node.req
  const address = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], services.trustedProxies)
  const lockout = services.authLockout
  const wait = lockout.lockedFor(address)
  if (wait > 0) return { status: 429, message: `Too many failed access-key attempts from your address; try again in ${wait} s`, headers: { 'retry-after': String(wait) } }
  const presented = presentedCredential(event)
  if (services.isAccessKey(presented)) {
    lockout.succeed(address)
    return undefined
  }
  if (lockout.fail(address).lockedNow) {
    const { failuresBeforeLockout, lockoutMs } = lockout.settings
    log.warn(`[auth] ${address} locked out for ${lockoutMs / 1000} s after ${failuresBeforeLockout} failed access-key checks`)
  }
  return { status: 401, message: unauthorizedMessage(presented), headers: {} }
}

import { request } from 'undici'
import type { PingResult } from '#shared/schemas/admin'
import { dispatcherFor } from './dispatcher'

/** A ping gets 5 s in total, as in the Go cc-bridge. */
export const PING_TIMEOUT_MS = 5000

/**
 * `HEAD {baseUrl}`. Any HTTP answer, even a 404 or 401, proves the upstream is reachable, which
 * is all a ping claims; only a network failure or the timeout counts as an error.
 */
export async function pingUpstream(baseUrl: string, insecureSkipVerify?: boolean, timeoutMs = PING_TIMEOUT_MS): Promise<PingResult> {
  const started = performance.now()
  const latency = () => Math.round(performance.now() - started)
  try {
    const res = await request(baseUrl, {
      method: 'HEAD', dispatcher: dispatcherFor(insecureSkipVerify),
      headersTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs),
    })
    await res.body.dump()
    return { success: true, latency: latency(), status: 'healthy' }
  }
  catch (err) {
    const e = err as Error & { code?: string }
    return { success: false, latency: latency(), status: 'error', error: e.message || e.code || e.name }
  }
}

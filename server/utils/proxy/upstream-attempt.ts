import { request, type Dispatcher } from 'undici'
import { protocolErrorBody, type ClientProtocol } from '#server/utils/http/protocol-error'
import { parseRetryAfter } from '#server/utils/http/retry-after'
import type { AttemptOutcome, AttemptTarget } from '#server/utils/scheduler/types'
import { readPrelude } from '#server/utils/sse/prelude'
import { dispatcherFor } from '#server/utils/upstream/dispatcher'
import type { Attempt, AttemptPlan, Failure } from './types'

const DEFAULT_HEADER_TIMEOUT_S = 120
/** Upstream error bodies are read whole to decide on failover; cap what one may hold in memory. */
const MAX_ERROR_BODY = 1024 * 1024

export interface AttemptOptions {
  plan: AttemptPlan
  target: AttemptTarget
  stream: boolean
  protocol: ClientProtocol
  requestTimeoutMs: number
  /** Aborted when the client disconnects. */
  signal: AbortSignal
}

/**
 * How long to wait for an upstream's response headers. A stream sends them at once, so the
 * channel's `responseHeaderTimeout` (default 120 s) applies. A non-streaming answer sends them
 * only when it is complete, so only a timeout set on the channel applies, and otherwise the
 * total budget (REQUEST_TIMEOUT): a long generation is not cut at 120 s and then paid again.
 */
export function headersTimeoutMs(responseHeaderTimeout: number | undefined, stream: boolean, requestTimeoutMs: number): number {
  if (stream) return (responseHeaderTimeout || DEFAULT_HEADER_TIMEOUT_S) * 1000
  return responseHeaderTimeout ? Math.min(responseHeaderTimeout * 1000, requestTimeoutMs) : requestTimeoutMs
}

function retryAfterSeconds(headers: Failure['headers']): number | undefined {
  return parseRetryAfter(headers['retry-after'], Date.now())
}

function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'))
    body.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_ERROR_BODY) chunks.push(chunk)
      else body.destroy()
    })
    body.once('end', done)
    body.once('close', done)
    body.once('error', done)
  })
}

/** An upstream error for the scheduler (raw) and for the client (converted when converting). */
function upstreamFailure(o: AttemptOptions, status: number, headers: Failure['headers'], body: string): Attempt {
  const outcome: AttemptOutcome = { kind: 'http', status, body, retryAfterSeconds: retryAfterSeconds(headers) }
  if (!o.plan.convert) return { ok: false, failure: { status, headers, body }, outcome }
  const converted = o.plan.convert.converter.error(status, body)
  return { ok: false, failure: { status: converted.status, headers: { 'retry-after': headers['retry-after'] }, body: converted.body }, outcome }
}

/**
 * One upstream call; never throws: transport failures, error statuses and an error arriving as
 * the stream's first event all become a failed attempt the scheduler can act on, because
 * nothing has reached the client yet.
 */
export async function attempt(o: AttemptOptions): Promise<Attempt> {
  const { channel } = o.target
  // Non-streaming calls have a total deadline (REQUEST_TIMEOUT); a stream's length is up to the
  // client, which cancels it by going away.
  let timedOut = false
  let signal = o.signal
  let done = () => {}
  if (!o.stream) {
    const ac = new AbortController()
    const abort = () => ac.abort()
    const timer = setTimeout(() => {
      timedOut = true
      ac.abort()
    }, o.requestTimeoutMs)
    o.signal.addEventListener('abort', abort, { once: true })
    signal = ac.signal
    done = () => {
      clearTimeout(timer)
      o.signal.removeEventListener('abort', abort)
    }
  }
  try {
    const response = await request(o.plan.url, {
      method: 'POST',
      headers: o.plan.headers,
      body: o.plan.body,
      dispatcher: dispatcherFor(channel.insecureSkipVerify),
      headersTimeout: headersTimeoutMs(channel.responseHeaderTimeout, o.stream, o.requestTimeoutMs),
      signal,
    })
    response.body.once('close', done)
    if (response.statusCode >= 400) return upstreamFailure(o, response.statusCode, response.headers, await readCapped(response.body))
    const type = String(response.headers['content-type'] ?? '')
    if (!o.stream || !type.includes('text/event-stream')) return { ok: true, response }
    const prelude = await readPrelude(response.body)
    if (prelude.ended && !prelude.first) {
      // Reset or closed before a single event: nothing reached the client, so this is a failed
      // attempt like a refused connection, not a success with an empty stream.
      if (o.signal.aborted) return { ok: false, failure: { status: 499, headers: {}, body: '' }, outcome: { kind: 'client-abort' } }
      const message = `upstream ${channel.name} closed the stream before its first event`
      return { ok: false, failure: { status: 502, headers: {}, body: protocolErrorBody(o.protocol, 502, message) }, outcome: { kind: 'transport', error: message, code: 'EMPTY_STREAM' } }
    }
    const status = prelude.first && o.plan.upstreamSse.statusOfFirstEvent(prelude.first)
    if (status) {
      response.body.destroy()
      return upstreamFailure(o, status, { 'content-type': 'application/json' }, prelude.first!.data)
    }
    return { ok: true, response, prelude }
  }
  catch (err) {
    if (o.signal.aborted) return { ok: false, failure: { status: 499, headers: {}, body: '' }, outcome: { kind: 'client-abort' } }
    done()
    const e = err as Error & { code?: string }
    const late = timedOut || e.code === 'UND_ERR_HEADERS_TIMEOUT'
    const status = late ? 504 : 502
    const code = timedOut ? 'REQUEST_TIMEOUT' : e.code ?? e.name
    const message = `upstream ${channel.name} ${late ? 'timed out' : 'unreachable'}: ${timedOut ? code : e.code ?? e.message}`
    const failure = { status, headers: {}, body: protocolErrorBody(o.protocol, status, message) }
    return { ok: false, failure, outcome: { kind: 'transport', error: message, code } }
  }
}

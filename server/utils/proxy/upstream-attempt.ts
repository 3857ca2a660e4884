import { request, type Dispatcher } from 'undici'
import { maskKeysIn } from '#server/utils/admin/mask'
import { protocolErrorBody, type ClientProtocol } from '#server/utils/http/protocol-error'
import { parseRetryAfter } from '#server/utils/http/retry-after'
import type { AttemptOutcome, AttemptTarget } from '#server/utils/scheduler/types'
import { readPrelude } from '#server/utils/sse/prelude'
import { dispatcherFor } from '#server/utils/upstream/dispatcher'
import { describeBody, isEventStream, looksLikeJson, readCapped, readHead, SNIPPET_READ } from './answer-check'
import type { Attempt, AttemptPlan, Failure } from './types'

/** Upstream error bodies are read whole to decide on failover; cap what one may hold in memory. */
const MAX_ERROR_BODY = 1024 * 1024

/**
 * undici's errors about the request cc-bridge built (a header or body it refuses), raised before
 * anything reached the upstream: cc-bridge's fault, never the channel's.
 */
const LOCAL_ERROR_CODES = new Set([
  'UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_INVALID_RETURN_VALUE', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
])

/** The time an attempt may take, from what is left of its request's budget. */
export interface AttemptBudget {
  /** Milliseconds left; the attempt is cut off with a 504 when they run out before the answer is committed. */
  ms: number
  /** The setting the budget comes from, named in the 504. */
  name: 'FIRST_BYTE_TIMEOUT' | 'REQUEST_TIMEOUT'
  /** The setting's value, for the message. */
  totalMs: number
}

export interface AttemptOptions {
  plan: AttemptPlan
  target: AttemptTarget
  stream: boolean
  protocol: ClientProtocol
  budget: AttemptBudget
  /** Aborted when the client disconnects. */
  signal: AbortSignal
}

/**
 * How long to wait for an upstream's response headers: the channel's `responseHeaderTimeout`
 * when set, within what is left of the request's budget.
 */
export function headersTimeoutMs(responseHeaderTimeout: number | undefined, budgetMs: number): number {
  const left = Math.max(1, Math.ceil(budgetMs))
  return responseHeaderTimeout ? Math.min(responseHeaderTimeout * 1000, left) : left
}

function retryAfterSeconds(headers: Failure['headers']): number | undefined {
  return parseRetryAfter(headers['retry-after'], Date.now())
}

/**
 * An upstream error for the scheduler (raw) and for the client (converted when converting),
 * with the channel's keys masked: some upstreams echo the key they were sent.
 */
function upstreamFailure(o: AttemptOptions, status: number, headers: Failure['headers'], raw: string): Attempt {
  const outcome: AttemptOutcome = { kind: 'http', status, body: raw, retryAfterSeconds: retryAfterSeconds(headers) }
  const body = maskKeysIn(raw, o.target.channel.apiKeys)
  if (!o.plan.convert) return { ok: false, failure: { status, headers, body }, outcome }
  const converted = o.plan.convert.converter.error(status, body)
  return { ok: false, failure: { status: converted.status, headers: { 'retry-after': headers['retry-after'] }, body: converted.body }, outcome }
}

/** A failed attempt cc-bridge answers itself, in the client's protocol. */
function failed(o: AttemptOptions, status: number, message: string, outcome: AttemptOutcome): Extract<Attempt, { ok: false }> {
  return { ok: false, failure: { status, headers: {}, body: protocolErrorBody(o.protocol, status, message) }, outcome }
}

const clientAbort: Attempt = { ok: false, failure: { status: 499, headers: {}, body: '' }, outcome: { kind: 'client-abort' } }

/** The request's budget ran out during this attempt: the 504 ends the request. */
function outOfBudget(o: AttemptOptions): Attempt {
  const { name, totalMs } = o.budget
  const message = `upstream ${o.target.channel.name} timed out: no answer within ${name} (${totalMs} ms for the whole request)`
  return { ...failed(o, 504, message, { kind: 'transport', error: message, code: name, persistent: true }), outOfBudget: true }
}

/**
 * A success status with a body that is not the protocol's answer (a login page, a proxy's
 * notice, JSON for a stream): a failed attempt, described by its content type and a snippet.
 */
async function notProtocol(o: AttemptOptions, response: Dispatcher.ResponseData, type: string, expected: string, head?: Buffer): Promise<Attempt> {
  const text = await readCapped(response.body, SNIPPET_READ, head)
  const message = `upstream ${o.target.channel.name} answered ${response.statusCode} with ${describeBody(type, text, o.target.channel.apiKeys)} instead of ${expected}`
  return failed(o, 502, message, { kind: 'transport', error: message, code: 'UNEXPECTED_BODY', persistent: true })
}

/**
 * One upstream call; never throws: transport failures, error statuses, a body that is not what
 * the protocol says and an error arriving as the stream's first event all become a failed
 * attempt the scheduler can act on, because nothing has reached the client yet. The attempt
 * ends (504) when the request's budget runs out before its answer is committed: for a stream,
 * its first event; otherwise the whole body.
 */
export async function attempt(o: AttemptOptions): Promise<Attempt> {
  const { channel } = o.target
  let timedOut = false
  const ac = new AbortController()
  const abort = () => ac.abort()
  const timer = setTimeout(() => {
    timedOut = true
    ac.abort()
  }, Math.max(1, o.budget.ms))
  o.signal.addEventListener('abort', abort, { once: true })
  const done = () => {
    clearTimeout(timer)
    o.signal.removeEventListener('abort', abort)
  }
  try {
    const response = await request(o.plan.url, {
      method: 'POST',
      headers: o.plan.headers,
      body: o.plan.body,
      dispatcher: dispatcherFor(channel.insecureSkipVerify),
      headersTimeout: headersTimeoutMs(channel.responseHeaderTimeout, o.budget.ms),
      signal: ac.signal,
    })
    response.body.once('close', done)
    if (response.statusCode >= 400) return upstreamFailure(o, response.statusCode, response.headers, await readCapped(response.body, MAX_ERROR_BODY))
    const type = String(response.headers['content-type'] ?? '')
    if (!o.stream) {
      const head = await readHead(response.body)
      if (timedOut) return outOfBudget(o)
      if (!looksLikeJson(type, head)) return await notProtocol(o, response, type, 'JSON', head)
      return { ok: true, response, head }
    }
    if (!isEventStream(type)) return await notProtocol(o, response, type, 'an event stream')
    const prelude = await readPrelude(response.body, o.plan.upstreamSse.isOpeningEvent)
    if (prelude.ended && !prelude.first) {
      // Reset or closed before a single event: nothing reached the client, so this is a failed
      // attempt like a refused connection, not a success with an empty stream.
      if (o.signal.aborted) return clientAbort
      if (timedOut) return outOfBudget(o)
      const message = `upstream ${channel.name} closed the stream before its first event`
      return failed(o, 502, message, { kind: 'transport', error: message, code: 'EMPTY_STREAM' })
    }
    const sse = o.plan.upstreamSse
    const status = prelude.first && sse.statusOfFirstEvent(prelude.first)
    if (status) {
      response.body.destroy()
      return upstreamFailure(o, status, { 'content-type': 'application/json' }, sse.errorBodyOfFirstEvent?.(prelude.first!) ?? prelude.first!.data)
    }
    // The first byte is on its way: from here a stream lasts as long as the client wants it.
    clearTimeout(timer)
    return { ok: true, response, prelude }
  }
  catch (err) {
    done()
    if (o.signal.aborted) return clientAbort
    if (timedOut) return outOfBudget(o)
    const e = err as Error & { code?: string }
    if (e.code && LOCAL_ERROR_CODES.has(e.code)) {
      const message = `cc-bridge could not send the request to ${channel.name}: ${e.message} (${e.code})`
      return failed(o, 500, message, { kind: 'local', error: message, code: e.code })
    }
    const late = e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT'
    const status = late ? 504 : 502
    const code = e.code ?? e.name
    const message = `upstream ${channel.name} ${late ? 'timed out' : 'unreachable'}: ${e.code ?? e.message}`
    return failed(o, status, message, { kind: 'transport', error: message, code, persistent: late })
  }
}

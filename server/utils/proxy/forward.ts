import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { request, type Dispatcher } from 'undici'
import type { AttemptTarget, RequestRouting } from '../scheduler/types'
import { protocolErrorBody, type ClientProtocol } from '../http/protocol-error'
import { readPrelude, type Prelude } from '../sse/prelude'
import { relaySse, type RelayEnd } from '../sse/relay'
import { statusForAnthropicStreamError, type SseDialect } from '../sse/protocols'
import { buildClientHeaders, buildUpstreamHeaders } from '../upstream/headers'
import { dispatcherFor } from '../upstream/dispatcher'
import { mapModel } from '../upstream/model-mapping'
import { joinUpstreamUrl } from '../upstream/url'
import { replaceTopLevelString } from './json-field'
import type { ParsedRequest } from './parse-request'

const DEFAULT_HEADER_TIMEOUT_S = 120
/** Upstream error bodies are read whole to decide on failover; cap what one may hold in memory. */
const MAX_ERROR_BODY = 1024 * 1024

export interface ForwardOptions {
  req: ParsedRequest
  res: ServerResponse
  routing: RequestRouting
  /** Path after `/v1/` on the upstream, e.g. `messages`. */
  endpoint: string
  protocol: ClientProtocol
  sse: SseDialect
  requestTimeoutMs: number
  pingMs: number
  /** Aborted when the client disconnects. */
  signal: AbortSignal
}

/** How a forwarded request ended, for the console log and (later) the request log. */
export interface ForwardResult {
  status: number
  channel?: string
  chain: string
  end: 'completed' | 'upstream-error' | 'client-abort' | 'stream-failed' | 'no-channel'
  /** With `upstream-error`: the last upstream answer, not yet sent (see `sendFailure`). */
  failure?: Failure
}

/** An upstream error answer (or a transport failure in the client's error shape). */
export interface Failure {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

type Attempt
  = | { ok: true, response: Dispatcher.ResponseData, prelude?: Prelude }
    | { ok: false, failure: Failure, outcome: Parameters<RequestRouting['report']>[1] }

function retryAfterSeconds(headers: Failure['headers']): number | undefined {
  const v = headers['retry-after']
  const n = Number(Array.isArray(v) ? v[0] : v)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > MAX_ERROR_BODY) break
    chunks.push(chunk as Buffer)
  }
  if (size > MAX_ERROR_BODY) body.destroy()
  return Buffer.concat(chunks).toString('utf8')
}

function bodyFor(req: ParsedRequest, target: AttemptTarget): Buffer {
  const mapped = mapModel(req.model, target.channel.modelMapping)
  return mapped === req.model ? req.raw : Buffer.from(replaceTopLevelString(req.text, 'model', mapped))
}

/** One upstream call; never throws (transport failures become a failed attempt). */
async function attempt(o: ForwardOptions, target: AttemptTarget): Promise<Attempt> {
  const { channel } = target
  // Non-streaming calls also have a total deadline (REQUEST_TIMEOUT); streams only the client.
  let timedOut = false
  let signal = o.signal
  let timer: NodeJS.Timeout | undefined
  if (!o.req.stream) {
    const ac = new AbortController()
    const abort = () => ac.abort()
    o.signal.addEventListener('abort', abort, { once: true })
    timer = setTimeout(() => {
      timedOut = true
      ac.abort()
    }, o.requestTimeoutMs)
    signal = ac.signal
    ac.signal.addEventListener('abort', () => {
      clearTimeout(timer)
      o.signal.removeEventListener('abort', abort)
    }, { once: true })
  }
  try {
    const response = await request(joinUpstreamUrl(channel.baseUrl, o.endpoint, o.req.search), {
      method: 'POST',
      headers: buildUpstreamHeaders(o.req.headers, target.key),
      body: bodyFor(o.req, target),
      dispatcher: dispatcherFor(channel.insecureSkipVerify),
      headersTimeout: (channel.responseHeaderTimeout || DEFAULT_HEADER_TIMEOUT_S) * 1000,
      signal,
    })
    if (timer) response.body.once('close', () => clearTimeout(timer))
    if (response.statusCode >= 400) {
      const body = await readCapped(response.body)
      const failure = { status: response.statusCode, headers: response.headers, body }
      return { ok: false, failure, outcome: { kind: 'http', status: failure.status, body, retryAfterSeconds: retryAfterSeconds(response.headers) } }
    }
    const type = String(response.headers['content-type'] ?? '')
    if (!o.req.stream || !type.includes('text/event-stream')) return { ok: true, response }
    const prelude = await readPrelude(response.body)
    if (prelude.first?.event === 'error') {
      response.body.destroy()
      const status = statusForAnthropicStreamError(prelude.first.data)
      const failure = { status, headers: { 'content-type': 'application/json' }, body: prelude.first.data }
      return { ok: false, failure, outcome: { kind: 'http', status, body: prelude.first.data } }
    }
    return { ok: true, response, prelude }
  }
  catch (err) {
    if (o.signal.aborted) return { ok: false, failure: { status: 499, headers: {}, body: '' }, outcome: { kind: 'client-abort' } }
    clearTimeout(timer)
    const e = err as Error & { code?: string }
    const late = timedOut || e.code === 'UND_ERR_HEADERS_TIMEOUT'
    const status = late ? 504 : 502
    const message = `upstream ${target.channel.name} ${late ? 'timed out' : 'unreachable'}: ${timedOut ? 'REQUEST_TIMEOUT' : e.code ?? e.message}`
    const failure = { status, headers: {}, body: protocolErrorBody(o.protocol, status, message) }
    return { ok: false, failure, outcome: { kind: 'transport', error: message, code: e.code ?? e.name } }
  }
}

/**
 * Relays a non-streaming body as received (no re-encoding, so nothing is lost), with
 * backpressure. Event listeners rather than `for await`: this runs on every request.
 */
function relayBody(body: Dispatcher.ResponseData['body'], res: ServerResponse, signal: AbortSignal): Promise<RelayEnd> {
  return new Promise((resolve) => {
    body.on('data', (chunk: Buffer) => {
      if (!res.write(chunk)) {
        body.pause()
        res.once('drain', () => body.resume())
      }
    })
    body.once('end', () => {
      res.end()
      resolve({ kind: 'completed' })
    })
    body.once('error', (err) => {
      if (!signal.aborted) res.destroy(err)
      resolve(signal.aborted ? { kind: 'client-abort' } : { kind: 'upstream-failed', error: err.message })
    })
  })
}

/** Sends an upstream error to the client with its status and body unchanged. */
export function sendFailure(res: ServerResponse, f: Failure): void {
  if (res.headersSent || res.destroyed) return
  const headers = buildClientHeaders(f.headers, false)
  headers['content-type'] ??= 'application/json'
  res.writeHead(f.status, headers)
  res.end(f.body)
}

async function sendSuccess(o: ForwardOptions, a: Extract<Attempt, { ok: true }>, channel: string): Promise<RelayEnd> {
  const { res } = o
  const streaming = a.prelude !== undefined
  const headers = buildClientHeaders(a.response.headers, !streaming)
  headers['x-cc-bridge-channel'] = encodeURIComponent(channel)
  res.writeHead(a.response.statusCode, headers)
  if (!streaming) return relayBody(a.response.body, res, o.signal)
  res.flushHeaders()
  return relaySse({
    res,
    upstream: a.response.body,
    first: a.prelude!.bytes,
    upstreamEnded: a.prelude!.ended,
    signal: o.signal,
    pingMs: o.pingMs,
    pingFrame: o.sse.pingFrame,
    terminalMarkers: o.sse.terminalMarkers,
    errorFrame: o.sse.errorFrame,
  })
}

/**
 * Sends a parsed request to the channels the routing hands out until one answers, then relays
 * its answer. Every retry and fail-over happens before the first byte reaches the client; after
 * that, a failure ends the stream with the protocol's error event.
 */
export async function forward(o: ForwardOptions): Promise<ForwardResult> {
  const { routing } = o
  let last: Failure | undefined
  let target = routing.next()
  while (target) {
    const a = await attempt(o, target)
    if (a.ok) {
      routing.report(target, { kind: 'success', status: a.response.statusCode })
      try {
        const end = await sendSuccess(o, a, target.channel.name)
        if (end.kind === 'upstream-failed') routing.reportStreamFailure(target, end.error)
        const kind = end.kind === 'completed' ? 'completed' : end.kind === 'client-abort' ? 'client-abort' : 'stream-failed'
        return { status: a.response.statusCode, channel: target.channel.name, chain: routing.chain(), end: kind }
      }
      catch (err) {
        if (!o.res.writableEnded) o.res.destroy(err as Error)
        return { status: a.response.statusCode, channel: target.channel.name, chain: routing.chain(), end: o.signal.aborted ? 'client-abort' : 'stream-failed' }
      }
    }
    if (a.outcome.kind === 'client-abort') {
      routing.report(target, a.outcome)
      return { status: 499, channel: target.channel.name, chain: routing.chain(), end: 'client-abort' }
    }
    last = a.failure
    const decision = routing.report(target, a.outcome)
    if (decision.action === 'return') break
    if (decision.action === 'retry') {
      try {
        await sleep(decision.waitMs, undefined, { signal: o.signal })
      }
      catch {
        return { status: 499, channel: target.channel.name, chain: routing.chain(), end: 'client-abort' }
      }
      continue
    }
    target = routing.next()
  }
  if (last) return { status: last.status, chain: routing.chain(), end: 'upstream-error', failure: last }
  return { status: 503, chain: routing.chain(), end: 'no-channel' }
}

import type { ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import { maskKeysIn } from '#server/utils/admin/mask'
import { maskErrorFrames } from '#server/utils/sse/mask-errors'
import { passthroughTransform } from '#server/utils/sse/passthrough'
import type { SseDialect } from '#server/utils/sse/protocols'
import { relaySse, type RelayEnd } from '#server/utils/sse/relay'
import { tapTransform } from '#server/utils/sse/tap'
import { transcodeTransform } from '#server/utils/sse/transcode'
import { buildClientHeaders } from '#server/utils/upstream/headers'
import type { AnswerTap, Attempt, AttemptPlan, Failure } from './types'

/** A body nothing was read from yet. */
const EMPTY_HEAD = Buffer.alloc(0)

/** Sends an error answer (already in the client's shape) with its status. */
export function sendFailure(res: ServerResponse, f: Failure): void {
  if (res.headersSent || res.destroyed) return
  const headers = buildClientHeaders(f.headers, false)
  headers['content-type'] ??= 'application/json'
  res.writeHead(f.status, headers)
  res.end(f.body)
}

/**
 * Relays a non-streaming body as received (no re-encoding, so nothing is lost), with
 * backpressure, after the head the attempt already read. Event listeners rather than
 * `for await`: this runs on every request.
 */
function relayBody(body: Dispatcher.ResponseData['body'], head: Buffer, res: ServerResponse, signal: AbortSignal, tap?: AnswerTap): Promise<RelayEnd> {
  if (head.length) tap?.body(head)
  // A body that fit in the head has already ended (its `end` is emitted even while paused).
  if (body.readableEnded) {
    res.end(head)
    return Promise.resolve({ kind: 'completed' })
  }
  if (head.length) res.write(head)
  return new Promise((resolve) => {
    body.on('data', (chunk: Buffer) => {
      tap?.body(chunk)
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
    body.resume()
  })
}

/** The rest of a body after its head, whole. */
async function readRest(body: Dispatcher.ResponseData['body'], head: Buffer): Promise<string> {
  const chunks = [head]
  if (!body.readableEnded) {
    for await (const chunk of body) chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A converted non-streaming answer: the whole upstream JSON is needed to build the client's. */
async function sendConverted(res: ServerResponse, body: Dispatcher.ResponseData['body'], head: Buffer, plan: AttemptPlan, headers: Record<string, string>, tap?: AnswerTap): Promise<RelayEnd> {
  const { converter, ctx } = plan.convert!
  let json: Record<string, unknown>
  try {
    json = JSON.parse(await readRest(body, head)) as Record<string, unknown>
  }
  catch (err) {
    const failed = converter.error(502, `upstream answered 200 with a body that is not JSON: ${(err as Error).message}`)
    res.writeHead(failed.status, { ...headers, 'content-type': 'application/json' }).end(failed.body)
    return { kind: 'upstream-failed', error: 'upstream body is not JSON' }
  }
  const answer = JSON.stringify(converter.response(json, ctx))
  tap?.body(answer)
  res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(answer)
  return { kind: 'completed', usage: converter.usage(json) }
}

export interface SuccessOptions {
  res: ServerResponse
  attempt: Extract<Attempt, { ok: true }>
  plan: AttemptPlan
  channel: string
  /** The client's SSE dialect (its ping frame). */
  sse: SseDialect
  pingMs: number
  signal: AbortSignal
  /** Sees what reaches the client. */
  tap?: AnswerTap
  /** The channel's keys, masked in error events that arrive mid-stream. */
  keys: readonly string[]
}

/** Commits a successful upstream answer to the client: passthrough bytes, or converted. */
export function sendSuccess(o: SuccessOptions): Promise<RelayEnd> {
  const { res, attempt: a, plan } = o
  const streaming = a.prelude !== undefined
  const tag = { 'x-cc-bridge-channel': encodeURIComponent(o.channel) }
  if (!plan.convert) {
    res.writeHead(a.response.statusCode, { ...buildClientHeaders(a.response.headers, !streaming), ...tag })
    if (!streaming) return relayBody(a.response.body, a.head ?? EMPTY_HEAD, res, o.signal, o.tap)
  }
  else if (!streaming) {
    return sendConverted(res, a.response.body, a.head ?? EMPTY_HEAD, plan, tag, o.tap)
  }
  else {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no', ...tag })
  }
  const stream = plan.convert?.converter.stream(plan.convert.ctx)
  const transform = maskErrorFrames(stream ? transcodeTransform(stream) : passthroughTransform(o.sse), text => maskKeysIn(text, o.keys))
  const end = relaySse({
    res,
    upstream: a.response.body,
    head: stream?.start().join(''),
    first: a.prelude!.bytes,
    upstreamEnded: a.prelude!.ended,
    signal: o.signal,
    pingMs: o.pingMs,
    pingFrame: o.sse.pingFrame,
    transform: o.tap ? tapTransform(transform, frames => o.tap!.frames(frames, stream !== undefined)) : transform,
  })
  return stream ? end.then(e => ({ ...e, usage: stream.usage() })) : end
}

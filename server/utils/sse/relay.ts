import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { watchSilence } from './ping-ticker'
import type { Usage } from '../convert/types'
import type { StreamTransform } from './transform'

/** How a relayed stream ended: completed, the client went away (the upstream request was cancelled), or the upstream failed or stopped before its terminal event (an error event was sent). */
type RelayOutcome = { kind: 'completed' } | { kind: 'client-abort' } | { kind: 'upstream-failed', error: string }

/** A relay's outcome, with the usage when a converter counted it. */
export type RelayEnd = RelayOutcome & { usage?: Usage }

export interface RelayOptions {
  res: ServerResponse
  /** The upstream body, paused after the prelude. */
  upstream: Readable
  /** Client frames to send before anything from the upstream (a converter's opening events). */
  head?: string
  /** Bytes already read from the upstream (the prelude), possibly ending mid-event. */
  first: Buffer
  /** The upstream already ended during the prelude. */
  upstreamEnded: boolean
  /** Aborted when the client disconnects. */
  signal: AbortSignal
  pingMs: number
  /** The client protocol's keep-alive. */
  pingFrame: string
  transform: StreamTransform
}

/**
 * Relays an SSE stream as it arrives through a transform, with backpressure (the upstream is
 * paused while the client drains). Writes a ping when nothing was written for `pingMs`, and ends
 * a stream that fails or stops short of its terminal event with the protocol's error event
 * instead of a silent truncation.
 */
export function relaySse(o: RelayOptions): Promise<RelayEnd> {
  const { res, upstream, signal, transform } = o
  const silence = { lastWrite: Date.now(), pingMs: o.pingMs, ping: () => res.write(o.pingFrame) }
  const unwatch = watchSilence(silence)

  /** Writes what the transform makes of `chunk`; false when the client's buffer is full. */
  const push = (chunk: Buffer): boolean => {
    const out = transform.push(chunk)
    if (out.length === 0) return true
    silence.lastWrite = Date.now()
    return res.write(out)
  }

  return new Promise((resolve) => {
    let settled = false
    const settle = (end: RelayEnd, tail?: string | Buffer) => {
      if (settled) return
      settled = true
      unwatch()
      upstream.off('data', onData)
      signal.removeEventListener('abort', onAbort)
      if (end.kind !== 'client-abort' && !res.writableEnded) res.end(tail)
      resolve(end)
    }
    const onEnd = () => {
      const { tail, error } = transform.end()
      settle(error ? { kind: 'upstream-failed', error } : { kind: 'completed' }, tail)
    }
    const onData = (chunk: Buffer) => {
      const open = push(chunk)
      if (transform.ended?.()) {
        // Nothing the client needs follows the terminal event; an upstream that keeps the
        // connection open would otherwise hold the client's stream open with it.
        upstream.destroy()
        return onEnd()
      }
      if (!open) {
        upstream.pause()
        res.once('drain', () => upstream.resume())
      }
    }
    const onAbort = () => settle({ kind: 'client-abort' })
    const onError = (err: Error) => {
      if (signal.aborted) return settle({ kind: 'client-abort' })
      const error = `upstream stream failed: ${err.message}`
      settle({ kind: 'upstream-failed', error }, transform.fail(error))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    if (signal.aborted) return onAbort()
    // Headers, opening frames and what the prelude already holds go out in one write; with
    // nothing to write yet, the headers go alone so the client sees the stream has started.
    const opening = transform.push(o.first)
    const firstWrite = o.head ? o.head + opening.toString() : opening
    if (firstWrite.length) {
      silence.lastWrite = Date.now()
      res.write(firstWrite)
    }
    else {
      res.flushHeaders()
    }
    // A body whose last chunk came with the prelude may already have emitted 'end' while paused.
    if (o.upstreamEnded || upstream.readableEnded) return onEnd()
    if (transform.ended?.()) {
      upstream.destroy()
      return onEnd()
    }
    upstream.on('data', onData)
    upstream.once('end', onEnd)
    upstream.once('error', onError)
    upstream.resume()
  })
}

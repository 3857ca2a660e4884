import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { completeEventsLength } from './frames'
import { watchSilence } from './ping-ticker'

/** How a relayed stream ended. */
export type RelayEnd
  = | { kind: 'completed' }
  /** The client went away; the upstream request was cancelled. */
    | { kind: 'client-abort' }
  /** The upstream failed or stopped before its terminal event; an error event was sent. */
    | { kind: 'upstream-failed', error: string }

export interface RelayOptions {
  res: ServerResponse
  /** The upstream body, paused after the prelude. */
  upstream: Readable
  /** Bytes already read from the upstream (the prelude), possibly ending mid-event. */
  first: Buffer
  /** The upstream already ended during the prelude. */
  upstreamEnded: boolean
  /** Aborted when the client disconnects. */
  signal: AbortSignal
  pingMs: number
  pingFrame: string
  /** Line starts that only the protocol's terminal event has (e.g. `event: message_stop`). */
  terminalMarkers: string[]
  /** The protocol's error event, written when the upstream fails after the first byte. */
  errorFrame: (message: string) => string
  /** Sees every complete-event chunk as it is relayed (usage, first-token time, logs). */
  onEvents?: (chunk: Buffer) => void
}

/** Whether `marker` starts a line of `buf`: inside a JSON data string it can never follow a newline. */
function hasLineStart(buf: Buffer, marker: Buffer): boolean {
  for (let i = buf.indexOf(marker); i >= 0; i = buf.indexOf(marker, i + 1)) {
    if (i === 0 || buf[i - 1] === 10) return true
  }
  return false
}

const EMPTY = Buffer.alloc(0)
const BLANK_LINE = Buffer.from('\n\n')

/**
 * Relays an SSE stream as it arrives, whole events at a time, never re-encoding them, with
 * backpressure (the upstream is paused while the client drains). Writes a ping when the
 * upstream is silent for `pingMs`, and ends a stream that fails or stops short of its terminal
 * event with the protocol's error event instead of a silent truncation.
 */
export function relaySse(o: RelayOptions): Promise<RelayEnd> {
  const { res, upstream, signal } = o
  const terminal = o.terminalMarkers.map(m => Buffer.from(m))
  let pending: Buffer = EMPTY
  let sawTerminal = false
  const silence = { lastWrite: Date.now(), pingMs: o.pingMs, ping: () => res.write(o.pingFrame) }
  const unwatch = watchSilence(silence)

  /** Writes the complete events in `chunk` (plus what was pending); false when the client is full. */
  const push = (chunk: Buffer): boolean => {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk
    const cut = completeEventsLength(buf)
    pending = cut === buf.length ? EMPTY : buf.subarray(cut)
    if (cut === 0) return true
    const events = cut === buf.length ? buf : buf.subarray(0, cut)
    if (!sawTerminal) sawTerminal = terminal.some(m => hasLineStart(events, m))
    o.onEvents?.(events)
    silence.lastWrite = Date.now()
    return res.write(events)
  }

  return new Promise((resolve) => {
    let settled = false
    const settle = (end: RelayEnd) => {
      if (settled) return
      settled = true
      unwatch()
      upstream.off('data', onData)
      signal.removeEventListener('abort', onAbort)
      if (end.kind === 'upstream-failed') res.write(o.errorFrame(end.error))
      if (end.kind !== 'client-abort' && !res.writableEnded) res.end()
      resolve(end)
    }
    const onEnd = () => {
      // An upstream that ends without a final blank line still sent a whole last event.
      if (pending.length) push(BLANK_LINE)
      settle(sawTerminal ? { kind: 'completed' } : { kind: 'upstream-failed', error: 'upstream stream ended before its final event' })
    }
    const onData = (chunk: Buffer) => {
      if (!push(chunk)) {
        upstream.pause()
        res.once('drain', () => upstream.resume())
      }
    }
    const onAbort = () => settle({ kind: 'client-abort' })
    signal.addEventListener('abort', onAbort, { once: true })
    if (signal.aborted) return onAbort()
    if (o.first.length) push(o.first)
    // A body whose last chunk came with the prelude may already have emitted 'end' while paused.
    if (o.upstreamEnded || upstream.readableEnded) return onEnd()
    upstream.on('data', onData)
    upstream.once('end', onEnd)
    upstream.once('error', err => settle(signal.aborted ? { kind: 'client-abort' } : { kind: 'upstream-failed', error: `upstream stream failed: ${err.message}` }))
    upstream.resume()
  })
}

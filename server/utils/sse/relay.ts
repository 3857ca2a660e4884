import type { ServerResponse } from 'node:http'
import { completeEventsLength } from './frames'

/** How a relayed stream ended. */
export type RelayEnd
  = | { kind: 'completed' }
  /** The client went away; the upstream request was cancelled. */
    | { kind: 'client-abort' }
  /** The upstream failed or stopped before its terminal event; an error event was sent. */
    | { kind: 'upstream-failed', error: string }

export interface RelayOptions {
  res: ServerResponse
  /** The rest of the upstream body, after `first`. */
  upstream: AsyncIterable<Buffer>
  /** Bytes already read from the upstream (the prelude), possibly ending mid-event. */
  first: Buffer
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

function write(res: ServerResponse, chunk: Buffer | string, signal: AbortSignal): Promise<void> | undefined {
  if (res.write(chunk)) return undefined
  // Backpressure: wait for the client to drain before reading more from the upstream.
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      signal.removeEventListener('abort', done)
      resolve()
    }
    res.on('drain', done)
    signal.addEventListener('abort', done)
  })
}

/**
 * Relays an SSE stream as it arrives, whole events at a time, never re-encoding them.
 * Writes a ping when the upstream is silent for `pingMs`, and ends a stream that fails or stops
 * short of its terminal event with the protocol's error event instead of a silent truncation.
 */
export async function relaySse(o: RelayOptions): Promise<RelayEnd> {
  const { res, signal } = o
  const terminal = o.terminalMarkers.map(m => Buffer.from(m))
  let pending: Buffer = Buffer.alloc(0)
  let sawTerminal = false
  let lastWrite = Date.now()
  const ping = setInterval(() => {
    if (Date.now() - lastWrite >= o.pingMs && !signal.aborted) {
      lastWrite = Date.now()
      res.write(o.pingFrame)
    }
  }, Math.max(50, Math.floor(o.pingMs / 4)))

  const push = async (chunk: Buffer) => {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk
    const cut = completeEventsLength(buf)
    pending = cut === buf.length ? Buffer.alloc(0) : buf.subarray(cut)
    if (cut === 0) return
    const events = cut === buf.length ? buf : buf.subarray(0, cut)
    if (!sawTerminal) sawTerminal = terminal.some(m => hasLineStart(events, m))
    o.onEvents?.(events)
    lastWrite = Date.now()
    await write(res, events, signal)
  }

  try {
    if (o.first.length) await push(o.first)
    for await (const chunk of o.upstream) {
      if (signal.aborted) break
      await push(chunk as Buffer)
    }
    if (signal.aborted) return { kind: 'client-abort' }
    // An upstream that ends without a final blank line still sent a whole last event.
    if (pending.length) await push(Buffer.from('\n\n'))
    if (sawTerminal) return { kind: 'completed' }
    return fail(o, 'upstream stream ended before its final event')
  }
  catch (err) {
    if (signal.aborted) return { kind: 'client-abort' }
    return fail(o, `upstream stream failed: ${(err as Error).message}`)
  }
  finally {
    clearInterval(ping)
    if (!res.writableEnded && !signal.aborted) res.end()
  }
}

/** Whether `marker` starts a line of `buf`: inside a JSON data string it can never follow a newline. */
function hasLineStart(buf: Buffer, marker: Buffer): boolean {
  for (let i = buf.indexOf(marker); i >= 0; i = buf.indexOf(marker, i + 1)) {
    if (i === 0 || buf[i - 1] === 10) return true
  }
  return false
}

function fail(o: RelayOptions, error: string): RelayEnd {
  o.res.write(o.errorFrame(error))
  return { kind: 'upstream-failed', error }
}

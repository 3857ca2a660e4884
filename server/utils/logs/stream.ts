import { randomUUID } from 'node:crypto'
import type { H3Event } from 'h3'
import { setResponseStatus } from 'h3'
import { watchSilence } from '#server/utils/sse/ping-ticker'
import { sseFrame, type LogBroadcaster, type LogSubscriber } from './broadcaster'

/** A subscriber whose socket has this much unsent data is too slow to keep. */
const MAX_BUFFERED_BYTES = 1024 * 1024

export interface LogStreamOptions {
  /** Silence after which a `heartbeat` event is sent, in ms; 15 s by default. */
  heartbeatMs?: number
}

/**
 * `GET /api/logs/stream`: Server-Sent Events. First `connected` with `{clientId}`, then
 * `log:created` and `log:updated` as `{type, data, timestamp}`, and a `heartbeat` after 15 s of
 * silence (the Go cc-bridge defines one but never sends it, so idle proxies cut its streams).
 * Past the broadcaster's capacity: 503 `{error: 'Too many SSE connections'}`. Resolves when the
 * client goes away or the server ends the stream; either way the subscription is removed.
 */
export async function streamLogs(event: H3Event, broadcaster: LogBroadcaster, options: LogStreamOptions = {}): Promise<{ error: string } | undefined> {
  const res = event.node.res
  const silence = { lastWrite: Date.now(), pingMs: options.heartbeatMs ?? 15_000, ping: () => res.write(sseFrame('heartbeat', { type: 'heartbeat', timestamp: new Date().toISOString() })) }
  const subscriber: LogSubscriber = {
    send(frame) {
      if (res.writableLength > MAX_BUFFERED_BYTES) return subscriber.close()
      res.write(frame)
      silence.lastWrite = Date.now()
    },
    close: () => res.end(),
  }
  const unsubscribe = broadcaster.subscribe(subscriber)
  if (!unsubscribe) {
    setResponseStatus(event, 503)
    return { error: 'Too many SSE connections' }
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'connection': 'keep-alive', 'x-accel-buffering': 'no' })
  res.flushHeaders()
  res.write(sseFrame('connected', { clientId: randomUUID() }))
  const unwatch = watchSilence(silence)
  await new Promise<void>(resolve => res.on('close', () => {
    unwatch()
    unsubscribe()
    resolve()
  }))
  return undefined
}

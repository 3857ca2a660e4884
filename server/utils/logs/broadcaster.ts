import type { LogStreamEvent, RequestLog } from '#shared/schemas/logs'

/** One listener of the live stream. */
export interface LogSubscriber {
  /** Receives each event already framed as SSE text. */
  send(frame: string): void
  /** Ends the listener's stream (shutdown, or a listener that cannot keep up). */
  close(): void
}

/** Fans the request log's events out to the live-stream subscribers. */
export interface LogBroadcaster {
  /** Adds a subscriber and returns its unsubscribe, or undefined when the stream is full. */
  subscribe(subscriber: LogSubscriber): (() => void) | undefined
  publish(type: LogStreamEvent['type'], data: RequestLog): void
  /** Closes every subscriber (shutdown: open streams would otherwise hold the server up). */
  closeAll(): void
  readonly size: number
}

/** One SSE frame: `event: <type>` and the JSON payload on one `data:` line. */
export function sseFrame(type: string, payload: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(payload)}\n\n`
}

/**
 * Serialises each event once, whatever the number of subscribers, and not at all while nobody
 * listens. A subscriber that throws is closed and dropped rather than breaking the others.
 */
export function createLogBroadcaster(maxSubscribers = 100, clock: () => number = Date.now): LogBroadcaster {
  const subscribers = new Set<LogSubscriber>()
  const drop = (s: LogSubscriber) => {
    subscribers.delete(s)
    try {
      s.close()
    }
    catch { /* already gone */ }
  }
  return {
    subscribe(subscriber) {
      if (subscribers.size >= maxSubscribers) return undefined
      subscribers.add(subscriber)
      return () => {
        subscribers.delete(subscriber)
      }
    },
    publish(type, data) {
      if (!subscribers.size) return
      const frame = sseFrame(type, { type, data, timestamp: new Date(clock()).toISOString() } satisfies LogStreamEvent)
      for (const subscriber of [...subscribers]) {
        try {
          subscriber.send(frame)
        }
        catch {
          drop(subscriber)
        }
      }
    },
    closeAll() {
      for (const subscriber of [...subscribers]) drop(subscriber)
    },
    get size() {
      return subscribers.size
    },
  }
}

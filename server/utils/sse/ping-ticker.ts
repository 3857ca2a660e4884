/** A stream that wants a keep-alive when it has been silent too long. */
export interface Pingable {
  /** ms timestamp of the last write to the client. */
  lastWrite: number
  /** Silence after which it wants a ping. */
  pingMs: number
  ping(): void
}

const streams = new Set<Pingable>()
let timer: NodeJS.Timeout | undefined
let period = 0

/**
 * One shared timer for every open stream instead of a timer per stream: checks each a few times
 * per ping interval and pings those silent for their `pingMs`. Returns the unwatch function.
 */
export function watchSilence(s: Pingable): () => void {
  streams.add(s)
  const tick = Math.max(50, Math.floor(s.pingMs / 4))
  if (!timer || tick < period) {
    clearInterval(timer)
    period = tick
    timer = setInterval(() => {
      const now = Date.now()
      for (const st of streams) {
        if (now - st.lastWrite >= st.pingMs) {
          st.lastWrite = now
          st.ping()
        }
      }
    }, period)
    timer.unref()
  }
  return () => {
    streams.delete(s)
    if (streams.size === 0) {
      clearInterval(timer)
      timer = undefined
      period = 0
    }
  }
}

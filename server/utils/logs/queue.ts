import type { RequestLogQueueStats } from '#shared/schemas/logs'
import type { LogWrite } from './types'

/** Options for {@link createLogQueue}; the defaults are the production values. */
export interface LogQueueOptions {
  /** Writes one batch in one transaction; a rejection re-queues the batch. */
  write: (batch: LogWrite[]) => Promise<void>
  /** A queued write waits at most this long for company, in ms. Default 250. */
  intervalMs?: number
  /** This many queued writes are flushed at once, without waiting for the interval. Default 200. */
  batchRows?: number
  /** Beyond this many queued writes the oldest are dropped (and counted). Default 5000. */
  maxQueued?: number
  /**
   * Beyond this many queued bytes (as `sizeOf` counts them) the oldest writes are dropped too:
   * failed bodies make rows up to 128 KB. Default 32 MiB.
   */
  maxQueuedBytes?: number
  /** A write's size in bytes, roughly; 1 KB each by default. */
  sizeOf?: (write: LogWrite) => number
  /** A write that failed this many times is given up (and counted). Default 3. */
  maxTries?: number
  /** Wait after a failed batch before trying again, in ms. Default 1000. */
  retryDelayMs?: number
  logError?: (message: string, error: unknown) => void
}

/** The request log's write-behind queue. */
export interface LogQueue {
  /**
   * Queues a write. Never blocks, never throws; a whole row replaces its earlier self still
   * queued, and a change is written after whatever is queued before it.
   */
  push(write: LogWrite): void
  stats(): RequestLogQueueStats
  /** Resolves once everything queued so far is written (or given up). */
  flush(): Promise<void>
}

interface Entry { write: LogWrite, tries: number, bytes: number }

/**
 * The production values of the queue's options. The writer thread takes them for its own
 * transactions (`batchRows`, `intervalMs`), retries and bound; the queue in front of it hands rows
 * over sooner (see `HAND_OVER` in `request-log.ts`).
 */
export const LOG_QUEUE_DEFAULTS = { intervalMs: 250, batchRows: 200, maxQueued: 5000, maxTries: 3, retryDelayMs: 1000 } as const

/**
 * A bounded queue that batches request-log writes off the hot path: it writes when a batch is
 * full or the interval has passed, one batch (one transaction) at a time. When the database
 * falls behind, the queue keeps its newest `maxQueued` writes: recent requests are what people
 * look at, and memory stays bounded.
 */
export function createLogQueue(options: LogQueueOptions): LogQueue {
  const intervalMs = options.intervalMs ?? LOG_QUEUE_DEFAULTS.intervalMs
  const batchRows = options.batchRows ?? LOG_QUEUE_DEFAULTS.batchRows
  const maxQueued = options.maxQueued ?? LOG_QUEUE_DEFAULTS.maxQueued
  const maxQueuedBytes = options.maxQueuedBytes ?? 32 * 1024 * 1024
  const sizeOf = options.sizeOf ?? (() => 1024)
  const maxTries = options.maxTries ?? LOG_QUEUE_DEFAULTS.maxTries
  const retryDelayMs = options.retryDelayMs ?? LOG_QUEUE_DEFAULTS.retryDelayMs
  const logError = options.logError ?? (() => {})
  let queue: Entry[] = []
  /**
   * The queued whole row of each request still running, for a newer one to replace. A final row
   * is not kept: nothing follows it (most requests end within the pending delay and are written
   * once, final, so this map stays empty and costs them nothing).
   */
  const latest = new Map<string, Entry>()
  let timer: NodeJS.Timeout | undefined
  let inFlight: Promise<void> | undefined
  let dropped = 0
  let failed = 0
  let written = 0
  let bytes = 0

  function schedule(delayMs: number): void {
    if (inFlight || !queue.length) return
    if (timer && delayMs > 0) return
    clearTimeout(timer)
    // Unref'd: a pending flush must not keep the process alive; close() flushes explicitly.
    timer = setTimeout(run, delayMs).unref()
  }

  function forget(entry: Entry): void {
    if (latest.get(entry.write.id) === entry) latest.delete(entry.write.id)
  }

  function trim(): void {
    while (queue.length > maxQueued || (bytes > maxQueuedBytes && queue.length > 1)) {
      const oldest = queue.shift()!
      forget(oldest)
      bytes -= oldest.bytes
      dropped++
    }
  }

  function run(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    if (inFlight) return inFlight
    if (!queue.length) return Promise.resolve()
    const batch = queue
    queue = []
    bytes = 0
    latest.clear()
    let retryAfter = 0
    inFlight = options.write(batch.map(e => e.write)).then(() => {
      written += batch.length
    }, (error) => {
      logError(`[logs] writing ${batch.length} request-log rows failed`, error)
      const again = batch.filter(e => ++e.tries < maxTries)
      failed += batch.length - again.length
      // Back in front of anything queued meanwhile, so a row's changes stay in order.
      queue = [...again, ...queue]
      bytes += again.reduce((n, e) => n + e.bytes, 0)
      trim()
      retryAfter = retryDelayMs
    }).finally(() => {
      inFlight = undefined
      schedule(queue.length >= batchRows ? retryAfter : Math.max(intervalMs, retryAfter))
    })
    return inFlight
  }

  return {
    push(write) {
      const size = sizeOf(write)
      bytes += size
      const known = write.kind === 'insert' && latest.size ? latest.get(write.id) : undefined
      if (known) {
        // A whole row supersedes its queued self, bytes included.
        bytes -= known.bytes
        known.write = write
        known.bytes = size
        if (write.kind === 'insert' && write.final) latest.delete(write.id)
        trim()
        return
      }
      const entry = { write, tries: 0, bytes: size }
      queue.push(entry)
      if (write.kind === 'insert' && !write.final) latest.set(write.id, entry)
      trim()
      schedule(queue.length >= batchRows ? 0 : intervalMs)
    },

    stats: () => ({ queued: queue.length, dropped, failed, written }),

    async flush() {
      while (inFlight || queue.length) await run()
    },
  }
}

import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { LogBatch } from './batch-sql'
import { INSERT_ROWS_SQL } from './row-encoding'

/** What the writer thread has done with the batches handed to it, in writes (rows and changes). */
export interface WriterStats {
  /** Handed over, not yet written, given up or dropped. */
  pending: number
  /** Handed over since start-up. */
  handed: number
  written: number
  /** Given up after their last try, or lost with the thread. */
  failed: number
  /** Let go, oldest first, while too many waited (the database fell behind). */
  dropped: number
  /** CPU time the thread spent on them, in µs. */
  cpuUs: number
}

/** Writes batches off the event loop, gathered into transactions, in the order handed over. */
export interface BatchWriter {
  /**
   * Hands over a batch of `size` writes, to be written after those handed over before it, in a
   * transaction gathering the batches that came within `intervalMs`, up to `batchRows` writes. Resolves once handed over (when the thread has started); from then on the
   * batch is the thread's: it retries a failed one and counts what it gives up (see `stats`).
   * Rejects when the thread is gone, so that the caller writes the batch elsewhere.
   */
  write(batch: LogBatch, size: number): Promise<void>
  /** Resolves once every batch handed over so far is written, given up or dropped. */
  drain(): Promise<void>
  stats(): WriterStats
  /** Why the thread is gone, once it is (it failed to start, crashed or exited): writes then reject. */
  readonly stopped: Error | undefined
  close(): Promise<void>
}

export interface WorkerWriterOptions {
  /** A batch that failed this many times is given up (and counted). */
  maxTries: number
  /** Wait after a failed try before the next, in ms. */
  retryDelayMs: number
  /** Beyond this many waiting writes the oldest batches are dropped (and counted). */
  maxQueued: number
  /** The thread writes a transaction once this many writes wait… */
  batchRows: number
  /** …or the oldest has waited this long, in ms (or a drain asks). */
  intervalMs: number
  logError: (message: string, error: unknown) => void
}

/** The writer thread's file, beside the built server's entry (copied there at build time). */
const WORKER_FILE = 'log-writer.mjs'

type WorkerMessage
  = | { ready: true }
    | { closed: true }
    | { drained: number }
    /**
     * What became of one batch, in its writes (`retry`: it failed and waits for its next try); none
     * of them for a transaction of several batches that failed (each is tried alone, and told then).
     */
    | { retry?: number, written?: number, failed?: number, dropped?: number, error?: string, cpuUs?: number }

/**
 * A writer whose SQLite work runs on a worker thread with its own connection to the database
 * file at `path` (WAL lets it write while the main connection reads). Measured under load, the
 * log's batches on the event loop (statement preparation and the inserts) took about a quarter
 * of the proxy's busy time; on a thread of their own they overlap with proxying. A batch is the
 * thread's once handed over: the event loop keeps no rows waiting for a write to end (holding
 * them until the thread answered cost cc-bridge about a tenth of its requests/s in the bench; see
 * bench/README.md), nor for a transaction's worth of company: the thread gathers small batches
 * into transactions itself. Undefined where there is no worker file (the dev server, unit tests): the log
 * then writes on the main connection.
 */
export function createWorkerWriter(path: string, busyTimeoutMs: number, entryUrl: string, options: WorkerWriterOptions): BatchWriter | undefined {
  const file = fileURLToPath(new URL(`./${WORKER_FILE}`, entryUrl))
  if (!existsSync(file)) return undefined
  const { maxTries, retryDelayMs, maxQueued, batchRows, intervalMs, logError } = options
  const worker = new Worker(file, { workerData: { path, busyTimeoutMs, insertRowsSql: INSERT_ROWS_SQL, maxTries, retryDelayMs, maxQueued, batchRows, intervalMs } })
  // Never keeps the process alive by itself; shutdown closes it after the last flush.
  worker.unref()
  const stats: WriterStats = { pending: 0, handed: 0, written: 0, failed: 0, dropped: 0, cpuUs: 0 }
  let nextDrain = 0
  const drains = new Map<number, () => void>()
  let failure: Error | undefined
  let onClosed: (() => void) | undefined
  let started!: () => void
  let notStarted!: (e: Error) => void
  const ready = new Promise<void>((resolve, reject) => {
    started = resolve
    notStarted = reject
  })
  // Handled here, and by each write that waits for it.
  ready.catch(() => {})

  function settle(outcome: 'written' | 'failed' | 'dropped', size: number) {
    stats.pending -= size
    stats[outcome] += size
  }

  worker.on('message', (msg: WorkerMessage) => {
    if ('ready' in msg) return started()
    if ('closed' in msg) return onClosed?.()
    if ('drained' in msg) {
      drains.get(msg.drained)?.()
      drains.delete(msg.drained)
      return
    }
    stats.cpuUs += msg.cpuUs ?? 0
    if (msg.retry !== undefined) logError(`[logs] writing ${msg.retry} request-log rows failed; trying again in ${retryDelayMs} ms`, msg.error)
    else if (msg.failed !== undefined) {
      logError(`[logs] writing ${msg.failed} request-log rows failed ${maxTries} times; given up`, msg.error)
      settle('failed', msg.failed)
    }
    else if (msg.dropped !== undefined) settle('dropped', msg.dropped)
    else if (msg.written !== undefined) settle('written', msg.written)
  })
  let closing = false
  function stop(error: Error): void {
    if (failure) return
    failure = error
    notStarted(error)
    // What the thread held is lost with it: counted, said, and nobody waits for it any longer.
    if (stats.pending) logError(`[logs] the request-log writer thread stopped with ${stats.pending} rows not written`, error)
    stats.failed += stats.pending
    stats.pending = 0
    for (const resolve of drains.values()) resolve()
    drains.clear()
  }
  worker.on('error', stop)
  // A thread that ends without an error (or with one already reported) must not leave anyone
  // waiting for an answer that will never come.
  worker.on('exit', (code) => {
    if (!closing) stop(new Error(`the writer thread exited with code ${code}`))
  })

  function handOver({ rows, updates }: LogBatch, size: number): void {
    if (failure) throw new Error(`the request-log writer stopped: ${failure.message}`)
    stats.pending += size
    stats.handed += size
    // The rows go as their encoded strings (copied, not walked), the rare changes as JSON.
    worker.postMessage({ size, rows, updates: updates.length ? JSON.stringify(updates) : undefined })
  }

  return {
    get stopped() {
      return failure
    },
    async write(batch, size) {
      // Until the thread has opened the database a batch waits for it (batches that wait are
      // handed over in the order they came), and comes back to the caller if it never does.
      await ready
      handOver(batch, size)
    },
    drain() {
      if (failure) return Promise.resolve()
      const id = nextDrain++
      return new Promise((resolve) => {
        drains.set(id, resolve)
        worker.postMessage({ drain: id })
      })
    },
    stats: () => ({ ...stats }),
    async close() {
      closing = true
      if (failure) return
      await new Promise<void>((resolve) => {
        onClosed = resolve
        worker.postMessage({ close: true })
        setTimeout(resolve, 2000).unref()
      })
      await worker.terminate()
    },
  }
}

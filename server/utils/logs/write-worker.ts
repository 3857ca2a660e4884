import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { PricingSnapshot } from '#server/utils/pricing/store'
import type { LogBatch } from './batch-sql'
import { HandoverRing, ringParts, WRITER_COUNTERS as COUNTERS } from './handover-ring'
import { INSERT_ROW_SQL, insertRowsSql, RECORD_KEYS, ROW_KEYS, RowEncoder } from './row-encoding'

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
   * transaction gathering the batches that came within `intervalMs`, up to `batchRows` writes.
   * Resolves once handed over (once the thread has started and its ring has room); from then on
   * the batch is the thread's: it retries a failed one and counts what it gives up (see `stats`).
   * Rejects when the thread is gone, so that the caller writes the batch elsewhere.
   */
  write(batch: LogBatch, size: number): Promise<void>
  /** Resolves once every batch handed over so far is written, given up or dropped. */
  drain(): Promise<void>
  stats(): WriterStats
  /** Hands the thread a new state of the price table, which prices the answers of requests that end from now on. */
  setPricing(snapshot: PricingSnapshot): void
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
  /** The hand-over ring's size in bytes, a power of two (4 MiB; tests make it small). */
  ringBytes?: number
  /** The price table the thread starts with, for the answers left to it (see `DeferredAnswer`). */
  pricing?: PricingSnapshot
}

/** Holds about a second of rows at the bench's rate with room to spare; a batch waits while it is full. */
const RING_BYTES = 4 * 1024 * 1024
/**
 * Rows per insert statement on the thread. libSQL's driver spends about 3 µs on every call, more
 * than SQLite spends storing a row's numbers: measured on the log's rows in 200-row transactions,
 * 13.1 µs of the thread's CPU per row one at a time, 12.2 ten at a time, 11.6 at 25 (the median of
 * six runs each; 25 rows bind 1,075 values, far below SQLite's limit of 32,766).
 */
const ROWS_PER_INSERT = 25
/** How often a batch that found the ring full looks again, in ms. */
const ROOM_WAIT_MS = 10
/** The writer thread's file, beside the built server's entry (bundled there at build time: modules/log-writer-worker/bundle.ts). */
const WORKER_FILE = 'log-writer.mjs'

/** What the writer thread starts with (server/workers/log-writer.ts). */
export interface WriterData extends Omit<WorkerWriterOptions, 'logError' | 'ringBytes' | 'pricing'> {
  pricing: PricingSnapshot | undefined
  /** The database file. */
  path: string
  busyTimeoutMs: number
  /** Inserts one row, its values bound in table order. */
  insertRowSql: string
  /** Inserts `rowsPerInsert` rows, their values bound one row after the other. */
  insertRowsSql: string
  rowsPerInsert: number
  /** The columns' keys in table order: an encoded row's values. */
  columns: readonly string[]
  /** The fields of a JSON column's records (the attempts), in their encoded order. */
  recordKeys: readonly string[]
  /** The hand-over ring, its positions, and the thread's counts (see handover-ring.ts). */
  ring: SharedArrayBuffer
  control: SharedArrayBuffer
  counters: SharedArrayBuffer
}

/** What the main thread says to the thread. */
export type ToWorkerMessage = { close: true } | { drain: number } | { pricing: PricingSnapshot }

/** What the thread says to the main thread. */
export type WorkerMessage
  = | { ready: true }
    | { closed: true }
    | { drained: number }
    /** A batch of `rows` writes failed (`retry`: it waits for its next try; `failed`: given up); the counts are in shared memory. */
    | { said: 'retry' | 'failed', rows: number, error: string }

/**
 * A writer whose SQLite work runs on a worker thread with its own connection to the database
 * file at `path` (WAL lets it write while the main connection reads), handed its batches through a
 * ring of shared memory (see `HandoverRing`) and counting what it did there. Measured under load, the
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
  const ring = new HandoverRing(options.ringBytes ?? RING_BYTES)
  /** Where each batch's rows are encoded before they are copied into the ring: one buffer, reused. */
  const encoder = new RowEncoder()
  const counters = new BigInt64Array(new SharedArrayBuffer(Object.keys(COUNTERS).length * BigInt64Array.BYTES_PER_ELEMENT))
  const count = (slot: number) => Number(Atomics.load(counters, slot))
  const worker = new Worker(file, {
    workerData: {
      path, busyTimeoutMs, insertRowSql: INSERT_ROW_SQL, insertRowsSql: insertRowsSql(ROWS_PER_INSERT), rowsPerInsert: ROWS_PER_INSERT, columns: ROW_KEYS, recordKeys: RECORD_KEYS, pricing: options.pricing, maxTries, retryDelayMs, maxQueued, batchRows, intervalMs,
      ring: ring.ring, control: ring.control, counters: counters.buffer as SharedArrayBuffer,
    } satisfies WriterData,
  })
  // Never keeps the process alive by itself; shutdown closes it after the last flush.
  worker.unref()
  let handed = 0
  /** What a thread that stopped took with it: handed over, never counted by it. */
  let lost = 0
  /** Hand-overs in order: a batch that waits for room holds back those after it. */
  let handing: Promise<void> = Promise.resolve()
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

  /** Written, failed or dropped by the thread. */
  const settled = () => count(COUNTERS.written) + count(COUNTERS.failed) + count(COUNTERS.dropped)

  worker.on('message', (msg: WorkerMessage) => {
    if ('ready' in msg) return started()
    if ('closed' in msg) return onClosed?.()
    if ('drained' in msg) {
      drains.get(msg.drained)?.()
      drains.delete(msg.drained)
      return
    }
    if (msg.said === 'retry') logError(`[logs] writing ${msg.rows} request-log rows failed; trying again in ${retryDelayMs} ms`, msg.error)
    else logError(`[logs] writing ${msg.rows} request-log rows failed ${maxTries} times; given up`, msg.error)
  })
  let closing = false
  function stop(error: Error): void {
    if (failure) return
    failure = error
    notStarted(error)
    // What the thread held is lost with it: counted, said, and nobody waits for it any longer.
    lost = handed - settled()
    if (lost) logError(`[logs] the request-log writer thread stopped with ${lost} rows not written`, error)
    for (const resolve of drains.values()) resolve()
    drains.clear()
  }
  worker.on('error', stop)
  // A thread that ends without an error (or with one already reported) must not leave anyone
  // waiting for an answer that will never come.
  worker.on('exit', (code) => {
    if (!closing) stop(new Error(`the writer thread exited with code ${code}`))
  })

  const stoppedError = () => new Error(`the request-log writer stopped: ${failure!.message}`)

  async function handOver({ rows, updates }: LogBatch, size: number): Promise<void> {
    // Until the thread has opened the database a batch waits for it, and comes back to the
    // caller if it never does.
    await ready
    // The rows go encoded (see `RowEncoder`), the rare changes as JSON. Encoded after the wait
    // and copied into the ring before the next one: the encoder is shared by the batches.
    encoder.clear()
    if (rows) for (const w of rows) encoder.add(w.row, w.change, w.answer, w.deferred)
    const encoded = rows ? encoder.encoded() : undefined
    for (const part of ringParts({ rows: encoded, updates: updates.length ? JSON.stringify(updates) : '', size }, encoder.ends, ring.maxRecordBytes)) {
      for (;;) {
        if (failure) throw stoppedError()
        if (ring.put(part)) break
        // The thread has not read enough yet (the database is slow): the batch waits, and the
        // queue in front keeps the newest rows meanwhile.
        await new Promise(resolve => setTimeout(resolve, ROOM_WAIT_MS))
      }
      handed += part.size
    }
  }

  const tell = (msg: ToWorkerMessage) => worker.postMessage(msg)

  return {
    get stopped() {
      return failure
    },
    setPricing(snapshot) {
      if (!failure) tell({ pricing: snapshot })
    },
    write(batch, size) {
      const done = handing.then(() => handOver(batch, size))
      handing = done.catch(() => {})
      return done
    },
    async drain() {
      // What waits for room in the ring goes in first.
      await handing
      if (failure) return
      const id = nextDrain++
      return new Promise((resolve) => {
        drains.set(id, resolve)
        tell({ drain: id })
      })
    },
    stats() {
      return {
        pending: failure ? 0 : handed - settled(),
        handed,
        written: count(COUNTERS.written),
        failed: count(COUNTERS.failed) + lost,
        dropped: count(COUNTERS.dropped),
        cpuUs: count(COUNTERS.cpuUs),
      }
    },
    async close() {
      closing = true
      if (failure) return
      await new Promise<void>((resolve) => {
        onClosed = resolve
        tell({ close: true })
        setTimeout(resolve, 2000).unref()
      })
      await worker.terminate()
    },
  }
}

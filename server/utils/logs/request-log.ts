import type { Db } from '#server/utils/db/client'
import { log } from '#server/utils/log'
import type { LogStatus, RequestLogQueueStats } from '#shared/schemas/logs'
import { batchStatements, logBatch } from './batch-sql'
import type { BatchWriter } from './write-worker'
import { capBody } from './bodies'
import { createLogBroadcaster, type LogBroadcaster } from './broadcaster'
import { createLogQueue, type LogQueueOptions } from './queue'
import type { AnswerColumns, DeferredAnswer, LogWrite, NewRequestLog, RequestLogPatch, RowWrite } from './types'
import { logView } from './view'

/** Statuses after which a row no longer changes. */
export const FINAL_STATUSES: ReadonlySet<LogStatus> = new Set(['completed', 'error', 'timeout'])

/** How many running requests the log remembers whole, to send full rows in `log:updated`. */
const MAX_LIVE_ROWS = 10_000

/**
 * A running request's `pending` row goes to the database once the request has run this long.
 * One that ends sooner is written once, whole: under load most requests end within a second, and
 * each row written twice (an insert, then its change) cost the writer about twice as much.
 * The live stream hears of the row at once either way.
 */
const PENDING_WRITE_DELAY_MS = 1000

/**
 * With a writer thread, the queue hands rows over in small batches, soon: the thread gathers them
 * into transactions of `batchRows` rows or `intervalMs` (see `createWorkerWriter`). Rows held on
 * the event loop for a whole transaction's worth (200, about 50 ms under load) outlived the
 * young generation's collections, each copying them and some promoting them to the old one (and,
 * when batches went as messages, each was a 200 KB buffer the allocator mapped and gave back, page
 * by page); measured side by side: 0.31 → 0.09 page faults per request, +9.5% requests/s. (If the
 * thread stops, the main connection writes these small batches: slower, losing nothing.)
 */
const HAND_OVER = { intervalMs: 20, batchRows: 50 } as const

export interface RequestLogOptions extends Partial<Omit<LogQueueOptions, 'write'>> {
  /** `LOG_FAILED_BODIES`: keep the bodies given to `record`/`update` (capped at 64 KB each). */
  keepFailedBodies?: boolean
  /** Live-stream capacity; 100 as in the Go cc-bridge. */
  maxSubscribers?: number
  /** Replaces the database write (tests inject slow or failing ones). */
  write?: LogQueueOptions['write']
  /** Runs the batches somewhere else than on this connection (a worker thread; see `write-worker.ts`). */
  writer?: BatchWriter
  /** How long a `pending` row waits to be written whole with its end; tests shorten it. */
  pendingWriteDelayMs?: number
  /** How many running requests the log holds whole (10,000); tests shorten it. */
  maxLiveRows?: number
  /**
   * Reads and prices an answer left to the writer thread, for the main connection to write its
   * row once the thread is gone. Without it no answer is left to the thread.
   */
  readDeferred?: (answer: DeferredAnswer, requestedModel: string | null | undefined) => AnswerColumns
}

/**
 * The request log as the proxy sees it. Neither call blocks or throws: rows go to a bounded
 * queue that a background flush writes in batches, and the live stream hears of them at once.
 */
export interface RequestLogService {
  /**
   * A new row: `pending` when the request starts (then {@link RequestLogService.update} it), or a final
   * row in one go. Required: `id`, `status`, `endpoint`, `initialTime`. The log keeps the object:
   * pass a new one per request.
   */
  record(row: NewRequestLog): void
  /**
   * Changes a recorded row, e.g. `pending` → `completed` with its channel and `answer`'s usage and
   * cost; columns they leave undefined keep their values. With `deferred` (only when
   * {@link RequestLogService.defersAnswers} says so), the answer's columns are read by the writer
   * thread instead.
   */
  update(id: string, patch: RequestLogPatch, answer?: AnswerColumns, deferred?: DeferredAnswer): void
  /**
   * Whether request `id`'s answer can be left to the writer thread to read and price: the thread
   * runs, nobody watches the live stream (whose `log:updated` carries tokens and cost), and the
   * log still holds the row whole.
   */
  defersAnswers(id: string): boolean
  /** The live stream's fan-out. */
  readonly broadcaster: LogBroadcaster
  /** Queue length and the rows lost to a slow or failing database. */
  stats(): RequestLogQueueStats
  /** Resolves once everything recorded so far is in the database. */
  flush(): Promise<void>
  /** Ends the live streams and flushes (shutdown). */
  close(): Promise<void>
}

/**
 * Writes one batch in one transaction; re-inserting a row (a retried batch) overwrites it. A row
 * whose answer was left to the writer thread has it read here, by `readDeferred`.
 */
export function writeBatch(db: Db, readDeferred?: RequestLogOptions['readDeferred']): LogQueueOptions['write'] {
  const answerOf = readDeferred && ((w: RowWrite) => readDeferred(w.deferred!, w.row.model))
  return async (batch: LogWrite[]) => {
    const statements = batchStatements(logBatch(batch), answerOf)
    if (statements.length) await db.$client.batch(statements, 'write')
  }
}

/** A queued write's weight in bytes, roughly: a kilobyte, its bodies and the answer left to the writer. */
function sizeOf(w: LogWrite): number {
  const bodies = (r: RequestLogPatch | undefined) => (r?.requestBody?.length ?? 0) + (r?.responseBody?.length ?? 0)
  return 1024 + (w.kind === 'insert' ? Math.max(bodies(w.row), bodies(w.change)) + (w.deferred?.bytes.length ?? 0) : bodies(w.patch))
}

/**
 * A whole row to write: the row itself, or as `change` leaves it (see `rowValues`), without
 * building that row; `final` when no later version of it follows. Encoded when handed to the
 * writer, so a queued row costs nothing until then.
 */
const insertOf = (row: NewRequestLog, change?: RequestLogPatch, final = false, answer?: AnswerColumns, deferred?: DeferredAnswer): LogWrite => ({ kind: 'insert', id: row.id, row, change, answer, deferred, final })

/** The row as changes leave it: what a change leaves undefined keeps its value, as in `rowValues`. */
function changed(row: NewRequestLog, ...patches: (RequestLogPatch | undefined)[]): NewRequestLog {
  const out = { ...row }
  for (const patch of patches) {
    for (const [key, value] of Object.entries(patch ?? {})) {
      if (value !== undefined) (out as Record<string, unknown>)[key] = value
    }
  }
  return out
}

function withBodies<T extends RequestLogPatch>(row: T, keep: boolean): T {
  if (row.requestBody == null && row.responseBody == null) return row
  if (!keep) return { ...row, requestBody: undefined, responseBody: undefined }
  return {
    ...row,
    requestBody: row.requestBody == null ? row.requestBody : capBody(row.requestBody),
    responseBody: row.responseBody == null ? row.responseBody : capBody(row.responseBody),
  }
}

/** Creates the request log over the app's database. */
export function createRequestLog(db: Db, options: RequestLogOptions = {}): RequestLogService {
  const logError = options.logError ?? log.error
  const writer = options.writer
  const onConnection = writeBatch(db, options.readDeferred)
  let toldStopped = false
  const write = options.write ?? (writer
    ? async (batch: LogWrite[]) => {
      // Handed over, the batch is the thread's (see `createWorkerWriter`): nothing waits here
      // for it to be written.
      if (!writer.stopped) return writer.write(logBatch(batch), batch.length)
      // The thread is gone: the main connection takes over (a batch it refused comes back here on
      // its retry), slower but losing nothing more.
      if (!toldStopped) logError('[logs] the request-log writer thread stopped; writing on the main connection', writer.stopped)
      toldStopped = true
      await onConnection(batch)
    }
    : onConnection)
  const queue = createLogQueue({ sizeOf, ...(writer ? HAND_OVER : {}), ...options, write, logError })
  const broadcaster = createLogBroadcaster(options.maxSubscribers)
  const keep = options.keepFailedBodies ?? false
  const pendingDelayMs = options.pendingWriteDelayMs ?? PENDING_WRITE_DELAY_MS
  const maxLiveRows = options.maxLiveRows ?? MAX_LIVE_ROWS
  /**
   * Requests still running, oldest first: their rows whole (each `log:updated` carries the full
   * row, and a request that ends within the delay is written once, whole), when their `pending`
   * row is due, and whether it was written.
   */
  const running = new Map<string, { row: NewRequestLog, due: number, written: boolean }>()
  let sweepTimer: NodeJS.Timeout | undefined

  /** Writes the `pending` rows of requests that have run past the delay (all of them with `all`). */
  function writeDue(all = false): void {
    clearTimeout(sweepTimer)
    sweepTimer = undefined
    const now = Date.now()
    for (const r of running.values()) {
      if (r.written) continue
      if (!all && r.due > now) {
        // Unref'd: a waiting row must not keep the process alive; close() writes it.
        sweepTimer = setTimeout(writeDue, r.due - now).unref()
        return
      }
      r.written = true
      queue.push(insertOf(r.row))
    }
  }

  /** Past `maxLiveRows` running requests the oldest is let go, its row written first: its end becomes a change to that row. */
  function forgetOldest(): void {
    const [id, r] = running.entries().next().value!
    running.delete(id)
    if (!r.written) queue.push(insertOf(r.row))
  }

  async function flush(): Promise<void> {
    writeDue(true)
    await queue.flush()
    await writer?.drain()
  }

  return {
    record(input) {
      try {
        // A row the table would refuse would fail its whole batch, other requests' rows with it.
        if (!input?.id || !input.status || !input.endpoint || !Number.isFinite(input.initialTime)) {
          throw new TypeError('a request-log row needs id, status, endpoint and initialTime')
        }
        // The row is the log's from here on (the proxy builds a new one per request): no copy.
        const row = withBodies(input, keep)
        if (FINAL_STATUSES.has(row.status as LogStatus)) queue.push(insertOf(row, undefined, true))
        else {
          running.set(row.id, { row, due: Date.now() + pendingDelayMs, written: false })
          if (running.size > maxLiveRows) forgetOldest()
          if (!sweepTimer) writeDue()
        }
        // The view is built only for listeners: nobody watching costs nothing per request.
        if (broadcaster.size) broadcaster.publish('log:created', logView(row))
      }
      catch (error) {
        logError('[logs] recording a request failed', error)
      }
    },

    update(id, input, answer, deferred) {
      try {
        const patch = withBodies(input, keep)
        const r = running.get(id)
        if (!r) {
          // Forgotten (more than `maxLiveRows` running): the change alone, onto the written row
          // (no answer is left to the thread for it; one that was anyway is read here).
          const read = deferred && options.readDeferred ? options.readDeferred(deferred, input.model) : undefined
          queue.push({ kind: 'update', id, patch: answer || read ? { ...patch, ...answer, ...read } : patch })
          return
        }
        // The whole row, written once, or over its `pending` self: a batch of whole rows is one
        // statement, where a batch of changes is a statement per row.
        if (FINAL_STATUSES.has((patch.status ?? r.row.status) as LogStatus)) {
          running.delete(id)
          // Written as the row and its change: the changed row itself is built only for listeners.
          queue.push(insertOf(r.row, patch, true, answer, deferred))
          if (broadcaster.size) broadcaster.publish('log:updated', logView(changed(r.row, patch, answer)))
          return
        }
        // A request still running whose row is not due yet keeps the change until then.
        const row = r.row = changed(r.row, patch, answer)
        if (r.written) queue.push(insertOf(row))
        if (broadcaster.size) broadcaster.publish('log:updated', logView(row))
      }
      catch (error) {
        logError('[logs] updating a request failed', error)
      }
    },

    broadcaster,
    defersAnswers: id => !!writer && !!options.readDeferred && !writer.stopped && !broadcaster.size && running.has(id),
    stats() {
      const own = queue.stats()
      if (!writer) return own
      // What the queue handed to the thread counts as written once the thread says so.
      const w = writer.stats()
      return {
        queued: own.queued + w.pending,
        dropped: own.dropped + w.dropped,
        failed: own.failed + w.failed,
        written: own.written - w.handed + w.written,
        writerCpuUs: w.cpuUs,
      }
    },
    flush,
    async close() {
      broadcaster.closeAll()
      await flush()
      await writer?.close()
    },
  }
}

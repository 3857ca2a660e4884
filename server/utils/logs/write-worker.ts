import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { LogBatch } from './batch-sql'
import { INSERT_ROWS_SQL } from './row-encoding'

/** Writes batches in one transaction each, somewhere off the event loop. */
export interface BatchWriter {
  /** Resolves with the CPU time the writer's thread spent on the batch, in µs. */
  write(batch: LogBatch): Promise<number>
  /** Why the thread is gone, once it is (it failed to start, crashed or exited): writes then reject. */
  readonly stopped: Error | undefined
  close(): Promise<void>
}

/** The writer thread's file, beside the built server's entry (copied there at build time). */
const WORKER_FILE = 'log-writer.mjs'

/**
 * A writer whose SQLite work runs on a worker thread with its own connection to the database
 * file at `path` (WAL lets it write while the main connection reads). Measured under load, the
 * log's batches on the event loop (statement preparation and the inserts) took about a quarter
 * of the proxy's busy time; on a thread of their own they overlap with proxying. Undefined where
 * there is no worker file (the dev server, unit tests): the log then writes on the main connection.
 */
export function createWorkerWriter(path: string, busyTimeoutMs: number, entryUrl: string): BatchWriter | undefined {
  const file = fileURLToPath(new URL(`./${WORKER_FILE}`, entryUrl))
  if (!existsSync(file)) return undefined
  const worker = new Worker(file, { workerData: { path, busyTimeoutMs, insertRowsSql: INSERT_ROWS_SQL } })
  // Never keeps the process alive by itself; shutdown closes it after the last flush.
  worker.unref()
  let next = 0
  const pending = new Map<number, { resolve: (cpuUs: number) => void, reject: (e: Error) => void }>()
  let failure: Error | undefined
  let onClosed: (() => void) | undefined
  worker.on('message', (msg: { id?: number, error?: string, closed?: boolean, cpuUs?: number }) => {
    if (msg.closed) onClosed?.()
    if (msg.id === undefined) return
    const waiter = pending.get(msg.id)
    pending.delete(msg.id)
    if (msg.error) waiter?.reject(new Error(msg.error))
    else waiter?.resolve(msg.cpuUs ?? 0)
  })
  let closing = false
  function stop(error: Error): void {
    failure ??= error
    for (const waiter of pending.values()) waiter.reject(failure)
    pending.clear()
  }
  worker.on('error', stop)
  // A thread that ends without an error (or with one already reported) must not leave a batch
  // waiting for an answer that will never come: the queue would wait with it.
  worker.on('exit', (code) => {
    if (!closing) stop(new Error(`the writer thread exited with code ${code}`))
  })
  return {
    get stopped() {
      return failure
    },
    write({ rows, updates }) {
      if (failure) return Promise.reject(new Error(`the request-log writer stopped: ${failure.message}`))
      const id = next++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        // The rows go as their encoded strings (copied, not walked), the rare changes as JSON.
        worker.postMessage({ id, rows, updates: updates.length ? JSON.stringify(updates) : undefined })
      })
    },
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

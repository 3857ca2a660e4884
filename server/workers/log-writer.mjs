// The request log's writer thread (see server/utils/logs/write-worker.ts): its own connection to
// the database file, one transaction per batch. A batch is its rows, each a JSON text, for the
// insert statement the main thread built from the schema, and changes as JSON statements. Once
// handed over a batch is this thread's: it writes it, tries a failed one again after a wait (the
// batches behind it wait too, so a row's changes stay in order), gives it up after its last try,
// and lets the oldest go when too many wait; each outcome is reported by batch id. Copied next to
// the built server by modules/log-writer-worker.ts, where 'libsql' resolves to the copy Nitro
// traced for @libsql/client.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'libsql'

const { path, busyTimeoutMs, insertRowsSql, maxTries, retryDelayMs, maxQueued } = workerData

// libSQL's own driver rather than @libsql/client: the insert is prepared once for the thread's
// life (the client prepares every statement of every batch again), and nothing is converted.
const db = new Database(path, { timeout: busyTimeoutMs })
// In WAL mode NORMAL still never corrupts the file, and a crashed process loses no committed
// batch; only a power cut may lose the last ones. It spares the writer an fsync per batch.
db.exec('PRAGMA synchronous = NORMAL')
// The insert unpacks each batch into a temporary table (its materialized CTE): in memory that
// costs about 15% less per row than SQLite's default of a temporary file (measured: 12 → 10 µs).
db.exec('PRAGMA temp_store = MEMORY')
const insertRows = db.prepare(insertRowsSql)

// IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first statement,
// never half-way through a batch.
const writeBatch = db.transaction((rows, updates) => {
  if (rows !== undefined) insertRows.run(rows)
  for (const { sql, args } of updates) db.prepare(sql).run(args ?? [])
}).immediate

/** Batches handed over and not yet written, oldest first: `{ id, rows, updates, size, tries }`. */
const waiting = []
let waitingSize = 0
/** Set while a failed batch waits for its next try: nothing is written meanwhile. */
let retryTimer
/** `drain` requests to answer once nothing waits. */
const drains = []

function settle(batch, outcome) {
  waitingSize -= batch.size
  parentPort.postMessage({ id: batch.id, ...outcome })
}

function writeWaiting() {
  while (waiting.length) {
    const batch = waiting[0]
    // The thread's own CPU time per batch (parsing it and SQLite's work), so the cost of the log
    // can be told apart from the proxy's: the bench and GET /api/health/details report it per row.
    const cpu = process.threadCpuUsage()
    try {
      // The encoded rows joined into the one JSON array the insert binds (`joinRows` on the main thread).
      writeBatch(batch.rows && `[${batch.rows.join(',')}]`, batch.updates ? JSON.parse(batch.updates) : [])
    }
    catch (error) {
      const spent = process.threadCpuUsage(cpu)
      const message = String(error?.message ?? error)
      if (++batch.tries < maxTries) {
        parentPort.postMessage({ id: batch.id, retry: true, error: message, cpuUs: spent.user + spent.system })
        retryTimer = setTimeout(() => {
          retryTimer = undefined
          writeWaiting()
        }, retryDelayMs)
        return
      }
      waiting.shift()
      settle(batch, { failed: batch.size, error: message, cpuUs: spent.user + spent.system })
      continue
    }
    const spent = process.threadCpuUsage(cpu)
    waiting.shift()
    settle(batch, { written: batch.size, cpuUs: spent.user + spent.system })
  }
  for (const id of drains.splice(0)) parentPort.postMessage({ drained: id })
}

parentPort.on('message', (msg) => {
  if (msg.close) {
    clearTimeout(retryTimer)
    db.close()
    parentPort.postMessage({ closed: true })
    return
  }
  if (msg.drain !== undefined) drains.push(msg.drain)
  else {
    waiting.push({ ...msg, tries: 0 })
    waitingSize += msg.size
    // The database has fallen behind (a lock held elsewhere): the newest rows are kept, as the
    // main thread's queue does, and memory stays bounded.
    while (waitingSize > maxQueued && waiting.length > 1) {
      const oldest = waiting.shift()
      settle(oldest, { dropped: oldest.size })
    }
  }
  if (!retryTimer) writeWaiting()
})

parentPort.postMessage({ ready: true })

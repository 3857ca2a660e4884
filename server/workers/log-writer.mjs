// The request log's writer thread (see server/utils/logs/write-worker.ts): its own connection to
// the database file, one transaction per batch, answers by batch id. A batch is its rows, each a
// JSON text, for the insert statement the main thread built from the schema, and changes as JSON
// statements. Copied next to the built server by modules/log-writer-worker.ts, where 'libsql'
// resolves to the copy Nitro traced for @libsql/client.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'libsql'

// libSQL's own driver rather than @libsql/client: the insert is prepared once for the thread's
// life (the client prepares every statement of every batch again), and nothing is converted.
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs })
// In WAL mode NORMAL still never corrupts the file, and a crashed process loses no committed
// batch; only a power cut may lose the last ones. It spares the writer an fsync per batch.
db.exec('PRAGMA synchronous = NORMAL')
// The insert unpacks each batch into a temporary table (its materialized CTE): in memory that
// costs about 15% less per row than SQLite's default of a temporary file (measured: 12 → 10 µs).
db.exec('PRAGMA temp_store = MEMORY')
const insertRows = db.prepare(workerData.insertRowsSql)

// IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first statement,
// never half-way through a batch.
const writeBatch = db.transaction((rows, updates) => {
  if (rows !== undefined) insertRows.run(rows)
  for (const { sql, args } of updates) db.prepare(sql).run(args ?? [])
}).immediate

parentPort.on('message', (msg) => {
  if (msg.close) {
    db.close()
    parentPort.postMessage({ closed: true })
    return
  }
  // The thread's own CPU time per batch (parsing it and SQLite's work), so the cost of the log
  // can be told apart from the proxy's: the bench and GET /api/health/details report it per row.
  const cpu = process.threadCpuUsage()
  try {
    // The encoded rows joined into the one JSON array the insert binds (`joinRows` on the main thread).
    writeBatch(msg.rows && `[${msg.rows.join(',')}]`, msg.updates ? JSON.parse(msg.updates) : [])
    const spent = process.threadCpuUsage(cpu)
    parentPort.postMessage({ id: msg.id, cpuUs: spent.user + spent.system })
  }
  catch (error) {
    parentPort.postMessage({ id: msg.id, error: String(error?.message ?? error) })
  }
})

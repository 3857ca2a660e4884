// The request log's writer thread (see server/utils/logs/write-worker.ts): its own connection to
// the database file, one transaction per batch (sent as JSON), answers by batch id. Copied next to the built
// server by modules/log-writer-worker.ts, where '@libsql/client' resolves to the bundled copy.
import { parentPort, workerData } from 'node:worker_threads'
import { createClient } from '@libsql/client'

const client = createClient({ url: workerData.url, timeout: workerData.busyTimeoutMs })
// In WAL mode NORMAL still never corrupts the file, and a crashed process loses no committed
// batch; only a power cut may lose the last ones. It spares the writer an fsync per batch.
const ready = client.execute('PRAGMA synchronous = NORMAL')

parentPort.on('message', (msg) => {
  if (msg.close) {
    client.close()
    parentPort.postMessage({ closed: true })
    return
  }
  // The thread's own CPU time per batch (parsing it and SQLite's work), so the cost of the log
  // can be told apart from the proxy's: the bench and GET /api/health/details report it per row.
  const cpu = process.threadCpuUsage()
  ready.then(() => client.batch(JSON.parse(msg.statements), 'write')).then(
    () => {
      const spent = process.threadCpuUsage(cpu)
      parentPort.postMessage({ id: msg.id, cpuUs: spent.user + spent.system })
    },
    error => parentPort.postMessage({ id: msg.id, error: String(error?.message ?? error) }),
  )
})

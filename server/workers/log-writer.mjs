// The request log's writer thread (see server/utils/logs/write-worker.ts): its own connection to
// the database file, one transaction per batch, answers by batch id. Copied next to the built
// server by modules/log-writer-worker.ts, where '@libsql/client' resolves to the bundled copy.
import { parentPort, workerData } from 'node:worker_threads'
import { createClient } from '@libsql/client'

const client = createClient({ url: workerData.url, timeout: workerData.busyTimeoutMs })

parentPort.on('message', (msg) => {
  if (msg.close) {
    client.close()
    parentPort.postMessage({ closed: true })
    return
  }
  client.batch(msg.statements, 'write').then(
    () => parentPort.postMessage({ id: msg.id }),
    error => parentPort.postMessage({ id: msg.id, error: String(error?.message ?? error) }),
  )
})

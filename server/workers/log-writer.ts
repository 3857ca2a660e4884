// The request log's writer thread (see server/utils/logs/write-worker.ts): its own connection to
// the database file. A batch is its rows, encoded as server/utils/logs/row-format.ts says, for the
// insert statement the main thread built from the schema, and changes as JSON statements. The
// main thread hands rows over in small batches, soon after they are made, through a ring of shared
// memory that this thread reads on its own timer (server/utils/logs/handover-ring.ts); it gathers
// them into transactions of `batchRows` rows, or of what waited `intervalMs`. Once handed over a
// batch is this thread's: it writes it, tries a failed one again after a wait (the batches behind
// it wait too, so a row's changes stay in order), gives it up after its last try, and lets the
// oldest go when too many wait; each batch's outcome is counted in shared memory, by its number of
// writes. Bundled next to the built server by modules/log-writer-worker/bundle.ts, where 'libsql'
// resolves to the copy Nitro traced for @libsql/client.
import { parentPort as port, workerData } from 'node:worker_threads'
import Database from 'libsql'
import { RING_CONTROL as CONTROL, RING_HEADER as HEADER, RING_WRAP as WRAP, WRITER_COUNTERS as SLOT } from '#server/utils/logs/handover-ring'
import { applyAnswer, readDeferredAnswer } from '#server/utils/logs/answer-columns'
import { decodeRows, type DecodedRow, type RowValue } from '#server/utils/logs/row-format'
import type { ToWorkerMessage, WorkerMessage, WriterData } from '#server/utils/logs/write-worker'
import { createQuoter, type Quoter } from '#server/utils/pricing/quoter'
import type { PricingSnapshot } from '#server/utils/pricing/store'

const { path, busyTimeoutMs, insertRowSql, insertRowsSql, rowsPerInsert, columns, recordKeys, pricing, maxTries, retryDelayMs, maxQueued, intervalMs, batchRows } = workerData as WriterData
const parentPort = port!
const say = (msg: WorkerMessage) => parentPort.postMessage(msg)

// The main thread's positions, the ring, and this thread's counts, which the main thread reads.
const positions = new Int32Array(workerData.control)
const ring = Buffer.from(workerData.ring)
const mask = ring.length - 1
// Atomics, so that the main thread never reads a count half written.
const counters = new BigInt64Array(workerData.counters)

/**
 * How often the ring is read, in ms, while rows come: this thread's own timer, so the main thread
 * never wakes it. After a read that found nothing the wait doubles, up to `intervalMs`: an idle
 * server's thread wakes a few times a second, not fifty.
 */
const POLL_MS = 20
let pollMs = POLL_MS
/** How often rows that need a price table not yet received look again, and for how long at most, in ms. */
const PRICING_WAIT_MS = 5
const MAX_PRICING_WAIT_MS = 1000
let read = 0

// libSQL's own driver rather than @libsql/client: the insert is prepared once for the thread's
// life (the client prepares every statement of every batch again), and nothing is converted.
const db = new Database(path, { timeout: busyTimeoutMs })
// In WAL mode NORMAL still never corrupts the file, and a crashed process loses no committed
// batch; only a power cut may lose the last ones. It spares the writer an fsync per transaction.
db.exec('PRAGMA synchronous = NORMAL')
const insertRow = db.prepare(insertRowSql)
const insertRows = db.prepare(insertRowsSql)
/** The values of `rowsPerInsert` rows, one after the other: one array, refilled for every statement. */
const manyValues = new Array<RowValue>(rowsPerInsert * columns.length)

/** Inserts `rows`, `rowsPerInsert` to a statement while there are as many, then one by one, in order. */
function insertAll(rows: readonly DecodedRow[]): void {
  let i = 0
  for (; i + rowsPerInsert <= rows.length; i += rowsPerInsert) {
    let at = 0
    for (let r = i; r < i + rowsPerInsert; r++) {
      const { values } = rows[r]!
      for (let c = 0; c < values.length; c++) manyValues[at++] = values[c]!
    }
    insertRows.run(manyValues)
  }
  for (; i < rows.length; i++) insertRow.run(rows[i]!.values)
}

/** Where each column's value is in a decoded row, by key. */
const columnIndex = new Map(columns.map((key, i) => [key, i]))
const MODEL = columnIndex.get('model')!

/**
 * The states of the price table this thread has been given, by version, the newest last. An
 * answer is priced with the table as it was when its request ended (its row says which), so a few
 * older ones are kept for the rows still waiting; a price change is rare and made by a person.
 */
const quoters = new Map<number, Quoter>()
const KEPT_PRICINGS = 8
let newestPricing = -1
function addPricing({ version, models }: PricingSnapshot): void {
  quoters.set(version, createQuoter(new Map(Object.entries(models))))
  newestPricing = Math.max(newestPricing, version)
  for (const old of quoters.keys()) {
    if (quoters.size <= KEPT_PRICINGS) break
    quoters.delete(old)
  }
}
if (pricing) addPricing(pricing)

/** Reads and prices the answers left to this thread, into their rows' values. */
function readAnswers(rows: readonly DecodedRow[]): void {
  for (const { values, answer } of rows) {
    if (!answer) continue
    // A version no longer kept (eight changes since): the newest, the nearest there is.
    const quoter = quoters.get(answer.pricingVersion) ?? quoters.get(newestPricing)
    if (quoter) applyAnswer(values, columnIndex, readDeferredAnswer(answer, values[MODEL] as string | null, quoter))
  }
}

// IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the first statement,
// never half-way through a transaction. The rows of the batches gathered go first, then their
// changes in order: the order of one large batch of the main thread's queue.
const writeGroup = db.transaction((group: Batch[]) => {
  const rows: DecodedRow[] = []
  for (const batch of group) {
    if (!batch.rows) continue
    readAnswers(batch.rows)
    for (const row of batch.rows) rows.push(row)
  }
  insertAll(rows)
  for (const batch of group) {
    if (!batch.updates) continue
    for (const { sql, args } of JSON.parse(batch.updates) as { sql: string, args?: unknown[] }[]) db.prepare(sql).run(args ?? [])
  }
}).immediate

/**
 * A batch handed over: its rows, its changes as JSON, its number of writes, its tries, when it was
 * handed over (epoch ms), and the newest price table its answers need (-1 for none).
 */
interface Batch { rows?: DecodedRow[], updates?: string, size: number, tries: number, at: number, pricing: number }

/** Batches handed over and not yet written, oldest first. */
const waiting: Batch[] = []
let waitingSize = 0
/** Set while a failed batch waits for its next try: nothing is written meanwhile. */
let retryTimer: NodeJS.Timeout | undefined
/** Set while the batches waiting wait for company (`intervalMs` after the oldest came). */
let gatherTimer: NodeJS.Timeout | undefined
/**
 * After a failed transaction of several batches, the last of them: until it is settled each batch
 * is written alone, so that one that cannot be written is tried and given up on its own, and the
 * others are not given up with it.
 */
let aloneUntil: Batch | undefined
/** `drain` requests to answer once nothing waits. */
const drains: number[] = []
let closing = false

function settle(batch: Batch, outcome: 'written' | 'failed' | 'dropped'): void {
  waitingSize -= batch.size
  if (batch === aloneUntil) aloneUntil = undefined
  Atomics.add(counters, SLOT[outcome], BigInt(batch.size))
}

/** The newest price table the answers of `rows` need (-1 for none). */
function pricingNeeded(rows: DecodedRow[]): number {
  let needs = -1
  for (const { answer } of rows) {
    if (answer && answer.pricingVersion > needs) needs = answer.pricingVersion
  }
  return needs
}

/** Moves the batches the main thread has put in the ring since the last read into `waiting`; false when there were none. */
function pump(): boolean {
  const end = Atomics.load(positions, CONTROL.written)
  if (read === end) return false
  while (read !== end) {
    const offset = read & mask
    const record = ring.readInt32LE(offset + HEADER.record)
    if (record === WRAP) {
      // The rest of the ring was too short for the next record: it starts over at the beginning.
      read = (read + ring.length - offset) | 0
      continue
    }
    const size = ring.readInt32LE(offset + HEADER.size)
    const rowBytes = ring.readInt32LE(offset + HEADER.rowBytes)
    const updateBytes = ring.readInt32LE(offset + HEADER.updateBytes)
    // When the batch left the event loop: its wait for company counts from then, not from this read.
    const at = ring.readDoubleLE(offset + HEADER.handedAt)
    const start = offset + HEADER.bytes
    const rows = rowBytes ? decodeRows(ring, start, start + rowBytes, columns.length, recordKeys) : undefined
    waiting.push({
      rows,
      updates: updateBytes ? ring.toString('utf8', start + rowBytes, start + rowBytes + updateBytes) : undefined,
      size,
      tries: 0,
      at,
      pricing: rows ? pricingNeeded(rows) : -1,
    })
    waitingSize += size
    read = (read + record) | 0
  }
  // The space is the main thread's again.
  Atomics.store(positions, CONTROL.read, read)
  // The database has fallen behind (a lock held elsewhere): the newest rows are kept, as the
  // main thread's queue does, and memory stays bounded.
  while (waitingSize > maxQueued && waiting.length > 1) settle(waiting.shift()!, 'dropped')
  return true
}

/** The batches to write together from the front of `waiting`: up to `batchRows` writes, at least one batch. */
function nextGroup(): Batch[] {
  const first = waiting[0]!
  if (aloneUntil) return [first]
  const group = [first]
  let size = first.size
  for (let i = 1; i < waiting.length && size + waiting[i]!.size <= batchRows; i++) {
    group.push(waiting[i]!)
    size += waiting[i]!.size
  }
  return group
}

function writeWaiting(): void {
  clearTimeout(gatherTimer)
  gatherTimer = undefined
  while (waiting.length) {
    // Too few rows yet, and the oldest has not waited long: wait for company (fewer, larger
    // transactions cost the thread less per row), unless someone waits for the rows.
    const waited = Date.now() - waiting[0]!.at
    if (waitingSize < batchRows && waited < intervalMs && !drains.length && !closing) {
      gatherTimer = setTimeout(writeWaiting, intervalMs - waited)
      return
    }
    const group = nextGroup()
    // A price change is told to this thread as a message, and the rows of requests that ended
    // after it come through the ring: the first may still be on its way. Those rows wait for it,
    // for a second at most (then they are priced with the newest table there is); the batches
    // before them go.
    const early = group.findIndex(batch => batch.pricing > newestPricing)
    if (early >= 0 && !closing && Date.now() - group[early]!.at < MAX_PRICING_WAIT_MS) {
      if (!early) {
        gatherTimer = setTimeout(writeWaiting, PRICING_WAIT_MS)
        return
      }
      group.length = early
    }
    // The thread's own CPU time per transaction (parsing it and SQLite's work), so the cost of
    // the log can be told apart from the proxy's: the bench and GET /api/health/details report it.
    const cpu = process.threadCpuUsage()
    let error: unknown
    try {
      writeGroup(group)
    }
    catch (e) {
      error = e
    }
    const spent = process.threadCpuUsage(cpu)
    Atomics.add(counters, SLOT.cpuUs, BigInt(spent.user + spent.system))
    if (!error) {
      waiting.splice(0, group.length)
      for (const batch of group) settle(batch, 'written')
      continue
    }
    if (group.length > 1) {
      // Which batch failed is not known: each is tried alone, now, and counted as it goes.
      aloneUntil = group.at(-1)
      continue
    }
    const batch = group[0]!
    const message = error instanceof Error ? error.message : String(error)
    if (++batch.tries < maxTries) {
      say({ said: 'retry', rows: batch.size, error: message })
      retryTimer = setTimeout(() => {
        retryTimer = undefined
        writeWaiting()
      }, retryDelayMs)
      return
    }
    waiting.shift()
    settle(batch, 'failed')
    say({ said: 'failed', rows: batch.size, error: message })
  }
  for (const id of drains.splice(0)) say({ drained: id })
}

/** Reads the ring and writes what is due, unless a failed batch waits for its next try. */
function poll(): boolean {
  const found = pump()
  if (!retryTimer) writeWaiting()
  return found
}

let poller: NodeJS.Timeout | undefined
function schedulePoll(): void {
  poller = setTimeout(() => {
    pollMs = poll() ? POLL_MS : Math.min(pollMs * 2, intervalMs)
    schedulePoll()
  }, pollMs)
}
schedulePoll()

parentPort.on('message', (msg: ToWorkerMessage) => {
  if ('pricing' in msg) {
    addPricing(msg.pricing)
    return
  }
  if ('close' in msg) {
    // What still waits is written first (the main thread drains before closing; this is the
    // last chance for anything handed over since).
    closing = true
    clearTimeout(poller)
    clearTimeout(gatherTimer)
    pump()
    if (!retryTimer) writeWaiting()
    clearTimeout(retryTimer)
    db.close()
    say({ closed: true })
    return
  }
  // A drain: everything in the ring so far is written before it is answered.
  drains.push(msg.drain)
  poll()
})

say({ ready: true })

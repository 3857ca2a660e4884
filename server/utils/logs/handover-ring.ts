/**
 * The request log's hand-over to its writer thread: a ring of shared memory that the event loop
 * writes batches into and the thread reads on its own timer (server/workers/log-writer.mjs reads
 * this layout). No message per batch: posting one copied the batch into a freshly allocated
 * buffer (page faults, each costly on a virtual machine) and woke the sleeping thread, which
 * measured as the largest single part of the log's cost on the event loop.
 *
 * Layout: `control` holds two Int32 positions, the bytes ever written and read, wrapping at 2^32
 * (the ring's size is a power of two, so a position's offset is its low bits). A batch is one
 * record, at an offset that is a multiple of 4: a 24-byte header (as Int32: the record's bytes with
 * padding, its number of writes, the bytes of its rows, the bytes of its changes; then as a Float64
 * the epoch ms it was handed over, from which the thread counts its wait for company), its rows
 * as `RowEncoder` encodes them, then its changes as JSON. A record never wraps: where the space
 * left before the end is too short, -1 there tells the reader to go on at the start.
 */
export const RING_CONTROL = { written: 0, read: 1 } as const
/** A record's header: where each field starts, in bytes, and its length (`bytes`). */
export const RING_HEADER = { record: 0, size: 4, rowBytes: 8, updateBytes: 12, handedAt: 16, bytes: 24 } as const
/** Where a record's length would be: the rest of the ring is skipped. */
export const RING_WRAP = -1
/** The writer thread's counts, in shared memory it alone writes (as BigInt64): one slot per outcome, then its CPU time in µs. */
export const WRITER_COUNTERS = { written: 0, failed: 1, dropped: 2, cpuUs: 3 } as const

/** A batch as the ring carries it (see `LogBatch`). */
export interface RingBatch {
  /** Its rows, encoded back to back (see `RowEncoder`). */
  rows?: Uint8Array
  /** The changes' statements as one JSON text, or '' for none. */
  updates: string
  /** Its number of writes, for the thread's counts. */
  size: number
}

/**
 * A batch in parts that each fit a record of `maxBytes` (failed bodies make rows of up to a few
 * hundred KB, and a queue's worth of them more than the ring holds): its rows in order, cut where
 * a row ends (`ends`, as `RowEncoder` keeps them), the changes and the rest of its size with the
 * last part. The changes' size is bounded by three bytes per character, so nothing is encoded twice.
 */
export function* ringParts(batch: RingBatch, ends: readonly number[], maxBytes: number): Generator<RingBatch> {
  const room = maxBytes - RING_HEADER.bytes - batch.updates.length * 3
  const rows = batch.rows
  if (!rows || rows.length <= room) {
    yield batch
    return
  }
  let start = 0
  let given = 0
  for (let i = 0; i < ends.length; i++) {
    // The part so far, up to the end of the row before this one, is as large as it can be.
    if (ends[i]! - start > room && i > given) {
      yield { rows: rows.subarray(start, ends[i - 1]), updates: '', size: i - given }
      start = ends[i - 1]!
      given = i
    }
  }
  yield { rows: start < rows.length ? rows.subarray(start) : undefined, updates: batch.updates, size: batch.size - given }
}

/** The event loop's side of the ring: the only writer of `written`. */
export class HandoverRing {
  readonly ring: SharedArrayBuffer
  readonly control = new SharedArrayBuffer(8)
  private readonly bytes: Buffer
  private readonly positions = new Int32Array(this.control)
  private readonly mask: number
  private written = 0

  constructor(sizeBytes: number) {
    if (!Number.isInteger(Math.log2(sizeBytes)) || sizeBytes < 64) throw new RangeError(`the hand-over ring's size must be a power of two of at least 64 bytes, not ${sizeBytes}`)
    this.ring = new SharedArrayBuffer(sizeBytes)
    this.bytes = Buffer.from(this.ring)
    // Touched once now, so that no hand-over pays for a page's first use.
    this.bytes.fill(0)
    this.mask = sizeBytes - 1
  }

  /** The largest record the ring takes: half of it, so that one always fits once the reader has caught up. */
  get maxRecordBytes(): number {
    return this.bytes.length / 2
  }

  /**
   * Writes one batch, or returns false when the ring has no room for it yet (the thread has not
   * read enough); nothing is written then. Throws for a batch larger than `maxRecordBytes`.
   */
  put({ rows, updates, size }: RingBatch): boolean {
    const rowBytes = rows ? rows.length : 0
    const updateBytes = updates ? Buffer.byteLength(updates) : 0
    const record = (RING_HEADER.bytes + rowBytes + updateBytes + 3) & ~3
    if (record > this.maxRecordBytes) throw new RangeError(`a request-log batch of ${record} bytes does not fit the hand-over ring`)
    const capacity = this.bytes.length
    const free = capacity - ((this.written - Atomics.load(this.positions, RING_CONTROL.read)) >>> 0)
    let at = this.written & this.mask
    const skip = capacity - at < record ? capacity - at : 0
    if (skip + record > free) return false
    const out = this.bytes
    if (skip) {
      out.writeInt32LE(RING_WRAP, at)
      at = 0
    }
    out.writeInt32LE(record, at + RING_HEADER.record)
    out.writeInt32LE(size, at + RING_HEADER.size)
    out.writeInt32LE(rowBytes, at + RING_HEADER.rowBytes)
    out.writeInt32LE(updateBytes, at + RING_HEADER.updateBytes)
    out.writeDoubleLE(Date.now(), at + RING_HEADER.handedAt)
    const p = at + RING_HEADER.bytes
    if (rows) out.set(rows, p)
    if (updateBytes) out.write(updates, p + rowBytes)
    this.written = (this.written + skip + record) | 0
    // The store publishes the record: the thread reads up to this position, never past it.
    Atomics.store(this.positions, RING_CONTROL.written, this.written)
    return true
  }
}

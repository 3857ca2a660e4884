import { describe, expect, it } from 'vitest'
import { HandoverRing, RING_CONTROL, RING_HEADER, ringParts } from '#server/utils/logs/handover-ring'

/** Reads what the ring holds as its layout says (the writer thread's reader, in small). */
function reader(ring: HandoverRing) {
  const bytes = Buffer.from(ring.ring)
  const positions = new Int32Array(ring.control)
  let read = 0
  return () => {
    const out: { rows: string, updates: string, size: number, at: number }[] = []
    const end = Atomics.load(positions, RING_CONTROL.written)
    while (read !== end) {
      const at = read & (bytes.length - 1)
      const record = bytes.readInt32LE(at)
      if (record === -1) {
        read = (read + bytes.length - at) | 0
        continue
      }
      const rowBytes = bytes.readInt32LE(at + 8)
      const start = at + RING_HEADER.bytes
      out.push({ size: bytes.readInt32LE(at + 4), at: bytes.readDoubleLE(at + 16), rows: bytes.toString('utf8', start, start + rowBytes), updates: bytes.toString('utf8', start + rowBytes, start + rowBytes + bytes.readInt32LE(at + 12)) })
      read = (read + record) | 0
    }
    Atomics.store(positions, RING_CONTROL.read, read)
    return out
  }
}

describe('HandoverRing', () => {
  it('carries batches whole and in order across many laps, multi-byte text included, each dated when handed over', () => {
    const ring = new HandoverRing(1024)
    const take = reader(ring)
    const got: string[] = []
    const handedAt: number[] = []
    const before = Date.now()
    for (let i = 0; i < 200; i++) {
      const rows = Buffer.from(`["r${i}","claude-sonnet-4-5","héllo ✓ 🚀"],["s${i}",${i}]`)
      expect(ring.put({ rows, updates: i % 7 ? '' : `[{"sql":"update ${i}"}]`, size: 2 })).toBe(true)
      for (const b of take()) {
        got.push(`${b.size} [${b.rows}] ${b.updates}`)
        handedAt.push(b.at)
      }
    }
    expect(got).toHaveLength(200)
    expect(handedAt.every(t => t >= before && t <= Date.now())).toBe(true)
    expect(got[3]).toBe('2 [["r3","claude-sonnet-4-5","héllo ✓ 🚀"],["s3",3]] ')
    expect(got[7]).toBe('2 [["r7","claude-sonnet-4-5","héllo ✓ 🚀"],["s7",7]] [{"sql":"update 7"}]')
    expect(got.every((b, i) => b.startsWith(`2 [["r${i}",`))).toBe(true)
  })

  it('says no, writing nothing, while the reader has not made room, and takes the batch once it has', () => {
    const ring = new HandoverRing(256)
    const take = reader(ring)
    const batch = (i: number) => ({ rows: Buffer.from(`["row ${i}","${'x'.repeat(40)}"]`), updates: '', size: 1 })
    let put = 0
    while (ring.put(batch(put))) put++
    // 256 bytes hold three 80-byte records.
    expect(put).toBe(3)
    expect(ring.put(batch(put))).toBe(false)
    expect(take().map(b => b.rows)).toEqual([0, 1, 2].map(i => batch(i).rows.toString()))
    // Room again: the next record does not fit before the end, so it starts over at the beginning.
    expect(ring.put(batch(3))).toBe(true)
    expect(ring.put(batch(4))).toBe(true)
    expect(take().map(b => b.rows)).toEqual([batch(3).rows.toString(), batch(4).rows.toString()])
  })

  it('refuses a batch larger than half of it, and a size that is not a power of two', () => {
    const ring = new HandoverRing(256)
    expect(() => ring.put({ rows: Buffer.alloc(200), updates: '', size: 1 })).toThrow(RangeError)
    expect(() => new HandoverRing(1000)).toThrow(/power of two/)
  })
})

describe('ringParts', () => {
  /** Rows encoded back to back, and where each ends, as `RowEncoder` keeps them. */
  function encoded(rows: string[]) {
    const bytes = Buffer.from(rows.join(''))
    let end = 0
    return { bytes, ends: rows.map(r => (end += Buffer.byteLength(r))) }
  }

  it('splits a batch too large for one record into parts that fit, cut between rows, in order, the changes and the rest of the size last', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `<row ${i} ${'é'.repeat(30)}>`)
    const { bytes, ends } = encoded(rows)
    const parts = [...ringParts({ rows: bytes, updates: '[{"sql":"u"}]', size: 11 }, ends, 512)]
    expect(parts.length).toBeGreaterThan(1)
    expect(parts.map(p => p.rows?.toString() ?? '').join('')).toBe(rows.join(''))
    // Every part holds whole rows.
    expect(parts.every(p => /^(<row \d é+>)+$/.test(Buffer.from(p.rows!).toString()))).toBe(true)
    expect(parts.map(p => p.size).reduce((a, b) => a + b)).toBe(11)
    expect(parts.slice(0, -1).every(p => p.updates === '')).toBe(true)
    expect(parts.at(-1)!.updates).toBe('[{"sql":"u"}]')
    // Each part fits a record of 512 bytes.
    const ring = new HandoverRing(1024)
    const positions = new Int32Array(ring.control)
    for (const p of parts) {
      expect(ring.put(p)).toBe(true)
      Atomics.store(positions, RING_CONTROL.read, Atomics.load(positions, RING_CONTROL.written))
    }
  })

  it('leaves a batch that fits whole, and one without rows', () => {
    const { bytes, ends } = encoded(['[1]', '[2]'])
    const batch = { rows: bytes, updates: '', size: 2 }
    expect([...ringParts(batch, ends, 512)]).toEqual([batch])
    const changes = { updates: '[{"sql":"u"}]', size: 1 }
    expect([...ringParts(changes, [], 512)]).toEqual([changes])
  })
})

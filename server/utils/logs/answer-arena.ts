/**
 * Copies of the answers left to the request log's writer thread, kept off the JavaScript heap
 * until their hand-over. An answer waits up to 20 ms for it, longer than the young generation
 * lives under load (a Claude Code request allocates about 0.3 MB, so it is collected every ~50
 * requests): as heap strings (latin1) they were copied by each collection and promoted, the log
 * more than doubling what each collection promoted (an agent's JSON turns: 93 → 208 KB) and
 * adding ~10 µs of collection per request. Holding the socket's own buffers instead kept one
 * small ArrayBuffer per answer for the collector's helpers to sweep. Here answers share slabs of
 * `SLAB_BYTES`: a few ArrayBuffers a second, each freed once the answers in it are handed over.
 */
const SLAB_BYTES = 256 * 1024

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES)
let used = 0

/** A copy of `bytes` in the current slab (a new slab when it is full; a larger answer gets its own). */
export function copyAnswer(bytes: Buffer): Buffer {
  if (used + bytes.length > slab.length) {
    slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, bytes.length))
    used = 0
  }
  const copy = slab.subarray(used, used + bytes.length)
  bytes.copy(copy)
  used += bytes.length
  return copy
}

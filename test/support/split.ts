/** Splits `buf` at the given offsets (taken modulo its length, duplicates ignored), in order. */
export function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map(c => c % (buf.length + 1)))].sort((a, b) => a - b)
  const parts: Buffer[] = []
  let at = 0
  for (const p of points) {
    parts.push(buf.subarray(at, p))
    at = p
  }
  return [...parts, buf.subarray(at)]
}

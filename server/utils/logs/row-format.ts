/**
 * The form in which the request log hands rows to its writer thread (encoded by `RowEncoder` in
 * row-encoding.ts, read by {@link decodeRows} on the thread): per row its length in bytes (a
 * uint32, itself included), then per column a tag and a number as a float64 or a text's length in
 * UTF-16 units, then all its texts as one UTF-8 run. A length in units survives the trip: a lone
 * surrogate becomes U+FFFD, one unit too.
 */
export const ROW_TAGS = { null: 0, number: 1, text: 2 } as const

/** A stored value: text, a number, or null. */
export type RowValue = string | number | null

/** The rows encoded in `bytes` from `start` to `end`, each as its `columns` values in table order. */
export function decodeRows(bytes: Buffer, start: number, end: number, columns: number): RowValue[][] {
  const rows: RowValue[][] = []
  const texts: number[] = []
  for (let at = start; at < end;) {
    const rowEnd = at + bytes.readUInt32LE(at)
    let p = at + 4
    const values = new Array<RowValue>(columns)
    texts.length = 0
    for (let c = 0; c < columns; c++) {
      const tag = bytes[p++]
      if (tag === ROW_TAGS.number) {
        values[c] = bytes.readDoubleLE(p)
        p += 8
      }
      else if (tag === ROW_TAGS.text) {
        texts.push(c, bytes.readUInt32LE(p))
        p += 4
      }
      else values[c] = null
    }
    // Decoded at once, then cut by the lengths in units.
    const run = bytes.toString('utf8', p, rowEnd)
    for (let i = 0, q = 0; i < texts.length; i += 2) {
      const length = texts[i + 1]!
      values[texts[i]!] = run.slice(q, q + length)
      q += length
    }
    rows.push(values)
    at = rowEnd
  }
  return rows
}

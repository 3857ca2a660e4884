import type { UsageProtocol } from '#server/utils/usage/passthrough-usage'

/**
 * The form in which the request log hands rows to its writer thread (encoded by `RowEncoder` in
 * row-encoding.ts, read by {@link decodeRows} on the thread): per row its length in bytes and the
 * length of its deferred answer (two uint32s, the first counting itself), then per column a tag
 * and a number as a float64 or a text's length in UTF-16 units, then the deferred answer if any
 * (its protocol's index in {@link ANSWER_PROTOCOLS} as a byte, the price table's version as a
 * float64, its multipliers' UTF-8 length as a uint32, those bytes, then the answer's bytes), then
 * all the row's texts as one UTF-8 run. A length in units survives the trip: a lone surrogate
 * becomes U+FFFD, one unit too. A JSON column's records (the attempts) come as their number (a
 * uint32) and, per record, a tag and value per field of the record's keys, in that order (null:
 * the field is absent); the thread makes their JSON text.
 */
export const ROW_TAGS = { null: 0, number: 1, text: 2, records: 3 } as const

/** The protocols a deferred answer can be in, by their index in an encoded row. */
export const ANSWER_PROTOCOLS: readonly UsageProtocol[] = ['anthropic', 'openai', 'responses']

/** A deferred answer's header: where each field starts, in bytes, and its length (`bytes`). */
export const ANSWER_HEADER = { protocol: 0, pricingVersion: 1, multiplierBytes: 9, bytes: 13 } as const

/** A stored value: text, a number, or null. */
export type RowValue = string | number | null

/** A deferred answer as decoded: its bytes as text, so that nothing of it points into the ring. */
export interface EncodedAnswer {
  protocol: UsageProtocol
  pricingVersion: number
  multipliers: string
  body: string
}

/** A decoded row: its values in table order, and the answer to read for it, if deferred. */
export interface DecodedRow {
  values: RowValue[]
  answer?: EncodedAnswer
}

/** Where each text of a row goes, in the order of its run: its holder (the values, or a record), its key, its length. */
type TextSlots = (RowValue[] | Record<string, unknown> | string | number)[]

/**
 * Reads the value at `p` (a tag, then a float64 or a text's length) into `holder[key]`, a text once
 * the row's run is decoded (`texts`), nothing for null; returns where the next value starts.
 */
function readValue(bytes: Buffer, p: number, holder: RowValue[] | Record<string, unknown>, key: string | number, texts: TextSlots): number {
  const tag = bytes[p++]
  if (tag === ROW_TAGS.number) {
    (holder as Record<string | number, unknown>)[key] = bytes.readDoubleLE(p)
    return p + 8
  }
  if (tag === ROW_TAGS.text) {
    texts.push(holder, key, bytes.readUInt32LE(p))
    return p + 4
  }
  return p
}

/**
 * The rows encoded in `bytes` from `start` to `end`, each with its `columns` values; records have
 * the fields `recordKeys`.
 */
export function decodeRows(bytes: Buffer, start: number, end: number, columns: number, recordKeys: readonly string[]): DecodedRow[] {
  const rows: DecodedRow[] = []
  for (let at = start; at < end; at += bytes.readUInt32LE(at)) rows.push(decodeRow(bytes, at, columns, recordKeys))
  return rows
}

/**
 * The row encoded at `at`. A function of its own, as are the rare parts (records, an answer): as
 * one loop over a batch's rows, run once a batch, V8 compiled it on the stack (OSR) and threw the
 * code away again at the answer's first read, over and over (under load about every 200 rows,
 * each compile some 20 ms on V8's helper threads, competing with the proxy for the cores).
 */
function decodeRow(bytes: Buffer, at: number, columns: number, recordKeys: readonly string[]): DecodedRow {
  const rowEnd = at + bytes.readUInt32LE(at)
  const answerBytes = bytes.readUInt32LE(at + 4)
  let p = at + 8
  // Null where a column's tag says so: the reader leaves those untouched.
  const values = new Array<RowValue>(columns).fill(null)
  const texts: TextSlots = []
  /** The columns holding records, each then its records. */
  let lists: (number | Record<string, unknown>[])[] | undefined
  for (let c = 0; c < columns; c++) {
    if (bytes[p] !== ROW_TAGS.records) {
      p = readValue(bytes, p, values, c, texts)
      continue
    }
    const list = new Array<Record<string, unknown>>(bytes.readUInt32LE(p + 1))
    p = readRecords(bytes, p + 5, list, recordKeys, texts)
    ;(lists ??= []).push(c, list)
  }
  const answer = answerBytes ? readAnswer(bytes, p, answerBytes) : undefined
  p += answerBytes
  // Decoded at once, then cut by the lengths in units.
  const run = bytes.toString('utf8', p, rowEnd)
  for (let i = 0, q = 0; i < texts.length; i += 3) {
    const length = texts[i + 2] as number
    ;(texts[i] as Record<string | number, unknown>)[texts[i + 1] as string | number] = run.slice(q, q + length)
    q += length
  }
  if (lists) for (let i = 0; i < lists.length; i += 2) values[lists[i] as number] = JSON.stringify(lists[i + 1])
  // One shape for every row, with an answer or without.
  return { values, answer }
}

/** Reads `list.length` records from `p` into `list`; returns where the next value starts. */
function readRecords(bytes: Buffer, p: number, list: Record<string, unknown>[], recordKeys: readonly string[], texts: TextSlots): number {
  for (let i = 0; i < list.length; i++) {
    const record: Record<string, unknown> = {}
    for (const key of recordKeys) p = readValue(bytes, p, record, key, texts)
    list[i] = record
  }
  return p
}

/** The deferred answer of `answerBytes` bytes at `p`. */
function readAnswer(bytes: Buffer, p: number, answerBytes: number): EncodedAnswer {
  const multipliers = p + ANSWER_HEADER.bytes
  const body = multipliers + bytes.readUInt32LE(p + ANSWER_HEADER.multiplierBytes)
  return {
    protocol: ANSWER_PROTOCOLS[bytes[p + ANSWER_HEADER.protocol]!]!,
    pricingVersion: bytes.readDoubleLE(p + ANSWER_HEADER.pricingVersion),
    multipliers: body > multipliers ? bytes.toString('utf8', multipliers, body) : '',
    body: bytes.toString('utf8', body, p + answerBytes),
  }
}

import { getTableColumns } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import { LogAttemptSchema } from '#shared/schemas/logs'
import { ANSWER_KEYS } from './answer-columns'
import { ANSWER_HEADER, ANSWER_PROTOCOLS, ROW_TAGS, type RowValue } from './row-format'
import type { AnswerColumns, DeferredAnswer, NewRequestLog, RequestLogPatch } from './types'

type Column = ReturnType<typeof getTableColumns<typeof requestLogs>>[keyof NewRequestLog]

/** The table's columns in table order, each under its row key: what the encodings and the changes are built from. */
export const TABLE_COLUMNS = Object.entries(getTableColumns(requestLogs)) as [keyof NewRequestLog, Column][]

/** How a column's value is stored. */
interface ColumnSpec {
  key: keyof NewRequestLog
  name: string
  kind: 'text' | 'number' | 'boolean' | 'json'
  /** What a missing value becomes: the column's default (NOT NULL columns have one), else null. */
  fallback: unknown
}

/** The column types the encodings know how to store; another one (a timestamp mode, say) fails loudly here. */
const KINDS: Record<string, ColumnSpec['kind']> = { SQLiteText: 'text', SQLiteInteger: 'number', SQLiteReal: 'number', SQLiteBoolean: 'boolean', SQLiteTextJson: 'json' }

const COLUMNS: readonly ColumnSpec[] = TABLE_COLUMNS.map(([key, column]) => {
  const kind = KINDS[column.columnType]
  if (!kind || !/^[a-z]\w*$/i.test(key)) throw new Error(`request_logs.${column.name}: no encoding for ${column.columnType} ${key}`)
  const fallback = column.default ?? null
  return { key, name: column.name, kind, fallback: kind === 'boolean' ? Number(fallback) : fallback }
})
const FALLBACKS = COLUMNS.map(c => c.fallback)

/**
 * Inserts `count` rows, the values of each bound in table order, one row after the other; a row
 * replaces its earlier self (its `pending` row, or a retried batch's), in the statement too.
 */
export function insertRowsSql(count: number): string {
  const row = `(${COLUMNS.map(() => '?').join(',')})`
  return `insert or replace into request_logs (${COLUMNS.map(c => `"${c.name}"`).join(',')}) values ${Array.from({ length: count }, () => row).join(',')}`
}

/** Inserts one row (see {@link insertRowsSql}). */
export const INSERT_ROW_SQL = insertRowsSql(1)

const FROM_ANSWER: ReadonlySet<string> = new Set(ANSWER_KEYS)

/**
 * The statements below read each column's value as the answer's (`a`) or the change's (`c`) where
 * they set one, else the row's (`r`), else the fallback (`f`), into `x`: a number JSON or SQLite cannot carry (NaN,
 * Infinity) takes the fallback rather than a null that a NOT NULL column would refuse, failing
 * the whole batch; a boolean becomes 0 or 1; JSON becomes its text.
 */
function read({ key, kind }: ColumnSpec, i: number, keepJson = false): string {
  const own = `c.${key} === undefined ? r.${key} : c.${key}`
  const x = FROM_ANSWER.has(key) ? `x = a.${key} !== undefined ? a.${key} : ${own};` : `x = ${own};`
  if (kind === 'boolean') return `${x} x = x == null ? f[${i}] : x ? 1 : 0;`
  if (kind === 'number') return `${x} if (!Number.isFinite(x)) x = f[${i}];`
  if (kind === 'json') return `${x} if (x == null) x = f[${i}];${keepJson ? '' : ' if (x != null) x = JSON.stringify(x);'}`
  return `${x} if (x == null) x = f[${i}]; else if (typeof x !== 'string') x = String(x);`
}

/**
 * Functions generated once from the schema's column names (checked above to be plain
 * identifiers): forty-three reads by name compile to direct loads, where `row[key]` over
 * forty-three keys took V8's generic lookup each time (measured: encoding a row went from 3.2 to
 * about 1.4 µs).
 */
const valuesOf = new Function('r', 'c', 'a', 'f', `let x; const v = new Array(${COLUMNS.length});\n${COLUMNS.map((col, i) => `${read(col, i)} v[${i}] = x;`).join('\n')}\nreturn v`) as (row: NewRequestLog, change: RequestLogPatch, answer: AnswerColumns, fallbacks: unknown[]) => RowValue[]

const NO_CHANGE: RequestLogPatch = Object.freeze({})
const NO_ANSWER = Object.freeze({}) as AnswerColumns

/**
 * A row's values in table order, as {@link INSERT_ROW_SQL} binds them; with `change` and `answer`,
 * the row as they leave it, without building that row.
 */
export function rowValues(row: NewRequestLog, change: RequestLogPatch = NO_CHANGE, answer: AnswerColumns = NO_ANSWER): RowValue[] {
  return valuesOf(row, change, answer, FALLBACKS)
}

/** The columns' keys in table order: an encoded row's values, as the writer thread reads them. */
export const ROW_KEYS: readonly string[] = COLUMNS.map(c => c.key)
/** An encoded row's largest part besides its text and deferred answer: two lengths, then a tag and at most 8 bytes per column. */
const MAX_FIXED_BYTES = 8 + COLUMNS.length * 9

/** A value written at `p`: its tag, then a number as a float64, or a text's length in UTF-16 units (the text joins `s`). */
const putNumber = `{ b[p++] = ${ROW_TAGS.number}; d.setFloat64(p, x, true); p += 8 }`
const putText = `{ b[p++] = ${ROW_TAGS.text}; d.setUint32(p, x.length, true); p += 4; s += x }`

/**
 * One column's value written at `p`. A JSON column holding an array of records (the attempts) is
 * written as records (see {@link writeRecords}) when they hold only texts and numbers, else as
 * its JSON text; `b` and `d` are read again after, as room for the records may have moved them.
 */
function put({ kind }: ColumnSpec): string {
  const nil = `b[p++] = ${ROW_TAGS.null};`
  if (kind === 'number' || kind === 'boolean') return `if (x == null) ${nil} else ${putNumber}`
  if (kind === 'json') {
    return `if (x == null) ${nil} else { e.at = p; t = Array.isArray(x) ? e.records(x, s) : null; b = e.bytes; d = e.view;`
      + ` if (t !== null) { s = t; p = e.at } else { x = JSON.stringify(x); if (x == null) ${nil} else ${putText} } }`
  }
  return `if (x == null) ${nil} else ${putText}`
}

/** Writes a row's tags and numbers into `e.bytes` from `e.at` (moved past them) and returns its texts joined. */
const writeRow = new Function('r', 'c', 'a', 'f', 'e', `let x, t, s = ''; let b = e.bytes, d = e.view; let p = e.at;\n${COLUMNS.map((col, i) => `${read(col, i, true)} ${put(col)}`).join('\n')}\ne.at = p; return s`) as (row: NewRequestLog, change: RequestLogPatch, answer: AnswerColumns, fallbacks: unknown[], encoder: RowEncoder) => string

/**
 * The fields of a record in a JSON column (the attempts), in the order the writer thread rebuilds
 * them: the schema's. A field outside it is not written.
 */
export const RECORD_KEYS: readonly string[] = Object.keys(LogAttemptSchema.shape)
if (!RECORD_KEYS.every(key => /^[a-z]\w*$/i.test(key))) throw new Error(`attempt fields must be plain names: ${RECORD_KEYS.join(', ')}`)

/**
 * Writes `list` as records at `e.at` (moved past them): the tag, their number, then per record a
 * tag and value per field of {@link RECORD_KEYS} (an absent one as null), its texts joining `s`;
 * returns the new `s`, or null, writing nothing, for a list that holds anything but records of
 * texts and numbers (JSON text carries it then). The thread makes their JSON text: on the event
 * loop `JSON.stringify` of one attempt cost about 6k instructions a request under callgrind.
 */
const writeRecords = new Function('list', 's', 'e', `const n = list.length; e.room(5 + n * ${RECORD_KEYS.length * 9}); const b = e.bytes, d = e.view; let p = e.at, x, r;
b[p++] = ${ROW_TAGS.records}; d.setUint32(p, n, true); p += 4;
for (let i = 0; i < n; i++) {
  r = list[i]; if (r === null || typeof r !== 'object') return null;
${RECORD_KEYS.map(key => `  x = r.${key}; if (x === undefined) b[p++] = ${ROW_TAGS.null}; else if (typeof x === 'number') ${putNumber} else if (typeof x === 'string') ${putText} else return null;`).join('\n')}
}
e.at = p; return s`) as (list: unknown[], text: string, encoder: RowEncoder) => string | null

/**
 * Encodes rows back to back into one reusable buffer, in the form the writer thread reads (see
 * row-format.ts). Measured against `JSON.stringify` of the row's values
 * written into the ring (under callgrind, one row of the bench): 7.0k instructions per row
 * against 20.1k, which was a quarter of the log's work on the event loop; and the thread binds the
 * values as they come, where it unpacked each from the row's JSON in SQL.
 */
export class RowEncoder {
  bytes: Buffer
  view: DataView
  /** Where the next row goes: the bytes encoded so far. */
  at = 0
  /** Where each row encoded so far ends. */
  readonly ends: number[] = []

  constructor(initialBytes = 64 * 1024) {
    this.bytes = Buffer.allocUnsafeSlow(initialBytes)
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength)
  }

  /** Appends a row; with `change` and `answer`, the row as they leave it; with `deferred`, the answer the thread reads for it. */
  add(row: NewRequestLog, change: RequestLogPatch = NO_CHANGE, answer: AnswerColumns = NO_ANSWER, deferred?: DeferredAnswer): void {
    const start = this.at
    this.room(MAX_FIXED_BYTES)
    this.at += 8
    const text = writeRow(row, change, answer, FALLBACKS, this)
    if (deferred) this.addDeferred(start, deferred)
    else this.view.setUint32(start + 4, 0, true)
    // A UTF-16 unit takes at most three bytes of UTF-8.
    this.room(text.length * 3)
    this.at += this.bytes.write(text, this.at)
    this.view.setUint32(start, this.at - start, true)
    this.ends.push(this.at)
  }

  /** See {@link writeRecords}. */
  records(list: unknown[], text: string): string | null {
    return writeRecords(list, text, this)
  }

  /** A deferred answer after the row's values (see row-format.ts), its length in the row's second word. */
  private addDeferred(rowStart: number, { bytes, protocol, multipliers, pricingVersion }: DeferredAnswer): void {
    const start = this.at
    this.room(ANSWER_HEADER.bytes + multipliers.length * 3 + bytes.length)
    this.bytes[start + ANSWER_HEADER.protocol] = ANSWER_PROTOCOLS.indexOf(protocol)
    this.view.setFloat64(start + ANSWER_HEADER.pricingVersion, pricingVersion, true)
    const multiplierBytes = this.bytes.write(multipliers, start + ANSWER_HEADER.bytes)
    this.view.setUint32(start + ANSWER_HEADER.multiplierBytes, multiplierBytes, true)
    this.at += ANSWER_HEADER.bytes + multiplierBytes
    this.at += bytes.copy(this.bytes, this.at)
    this.view.setUint32(rowStart + 4, this.at - start, true)
  }

  /** The rows encoded so far (a view of the buffer: valid until the next `add` or `clear`). */
  encoded(): Buffer {
    return this.bytes.subarray(0, this.at)
  }

  clear(): void {
    this.at = 0
    this.ends.length = 0
  }

  /** Makes room for `bytes` more from `at`, moving the buffer (and its view) to a larger one if need be. */
  room(bytes: number): void {
    if (this.at + bytes <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < this.at + bytes) size *= 2
    const grown = Buffer.allocUnsafeSlow(size)
    this.bytes.copy(grown, 0, 0, this.at)
    this.bytes = grown
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength)
  }
}

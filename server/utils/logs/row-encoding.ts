import { getTableColumns } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { NewRequestLog, RequestLogPatch } from './types'

type Column = ReturnType<typeof getTableColumns<typeof requestLogs>>[keyof NewRequestLog]

/** The table's columns in table order, each under its row key: what the encoding and the changes are built from. */
export const TABLE_COLUMNS = Object.entries(getTableColumns(requestLogs)) as [keyof NewRequestLog, Column][]

/** How a column's value goes into a row's JSON array, and comes out of it in SQL. */
interface ColumnSpec {
  key: keyof NewRequestLog
  name: string
  kind: 'text' | 'number' | 'boolean' | 'json'
  /** What a missing value becomes: the column's default (NOT NULL columns have one), else null. */
  fallback: unknown
}

/** The column types the encoding knows how to store; another one (a timestamp mode, say) fails loudly here. */
const KINDS: Record<string, ColumnSpec['kind']> = { SQLiteText: 'text', SQLiteInteger: 'number', SQLiteReal: 'number', SQLiteBoolean: 'boolean', SQLiteTextJson: 'json' }

const COLUMNS: readonly ColumnSpec[] = TABLE_COLUMNS.map(([key, column]) => {
  const kind = KINDS[column.columnType]
  if (!kind || !/^[a-z]\w*$/i.test(key)) throw new Error(`request_logs.${column.name}: no encoding for ${column.columnType} ${key}`)
  const fallback = column.default ?? null
  return { key, name: column.name, kind, fallback: kind === 'boolean' ? Number(fallback) : fallback }
})
const FALLBACKS = COLUMNS.map(c => c.fallback)

/**
 * One column's value as the generated encoder reads it: the change's (`c`) where it sets one,
 * else the row's (`r`), else the fallback (`f`).
 */
function valueOf({ key, kind }: ColumnSpec, i: number): string {
  const v = `(c.${key} === undefined ? r.${key} : c.${key})`
  if (kind === 'boolean') return `((x = ${v}) == null ? f[${i}] : x ? 1 : 0)`
  // A number JSON cannot carry (NaN, Infinity) takes the default rather than a null that a NOT
  // NULL column would refuse, failing the whole batch.
  if (kind === 'number') return `(Number.isFinite(x = ${v}) ? x : f[${i}])`
  return `(${v} ?? f[${i}])`
}

/**
 * The row's values in table order, by a function generated once from the schema's column names
 * (checked above to be plain identifiers): forty-three reads by name compile to direct loads,
 * where `row[key]` over forty-three keys took V8's generic lookup each time (measured: encoding a
 * row went from 3.2 to about 1.4 µs, the largest part of the log's cost on the event loop).
 */
const valuesOf = new Function('r', 'c', 'f', `let x; return [${COLUMNS.map(valueOf).join(',')}]`) as (row: NewRequestLog, change: RequestLogPatch, fallbacks: unknown[]) => unknown[]

const NO_CHANGE: RequestLogPatch = Object.freeze({})

/**
 * A whole row as one JSON array of its column values, in table order: what the request log
 * queues and hands to its writer. One string per row, made once when the row is final: a queue
 * of strings holds nothing for the garbage collector to trace, and the batch sent to the writer
 * is the strings joined. With `change`, the row as changed by it, without building that row.
 */
export function encodeRow(row: NewRequestLog, change: RequestLogPatch = NO_CHANGE): string {
  return JSON.stringify(valuesOf(row, change, FALLBACKS))
}

/** A batch of encoded rows as the one text value {@link INSERT_ROWS_SQL} binds. */
export const joinRows = (encoded: readonly string[]): string => `[${encoded.join(',')}]`

/**
 * Inserts a batch of encoded rows bound as one JSON text: SQLite unpacks it in C, so the batch
 * costs one bound value instead of one per column per row (the driver's binding was most of
 * the writer's time). Each row is parsed to JSONB once (the materialized CTE), not once per
 * column. A row replaces its earlier self (its `pending` row, or a retried batch's).
 */
export const INSERT_ROWS_SQL = `insert or replace into request_logs (${COLUMNS.map(c => `"${c.name}"`).join(',')}) `
  + `with r(j) as materialized (select jsonb(value) from json_each(?)) `
  + `select ${COLUMNS.map((c, i) => `j${c.kind === 'json' ? '->' : '->>'}${i}`).join(',')} from r`

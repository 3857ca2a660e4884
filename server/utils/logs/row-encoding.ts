import { getTableColumns } from 'drizzle-orm'
import { requestLogs } from '#server/database/schema'
import type { NewRequestLog } from './types'

type Column = ReturnType<typeof getTableColumns<typeof requestLogs>>[keyof NewRequestLog]

/** How a column's value goes into a row's JSON array, and comes out of it in SQL. */
interface ColumnSpec {
  key: keyof NewRequestLog
  name: string
  /** Booleans as 0/1, as drizzle stores them. */
  boolean: boolean
  /** A JSON column: its value is nested as JSON and stored as its JSON text. */
  json: boolean
  /** What a missing value becomes: the column's default (NOT NULL columns have one), else null. */
  fallback: unknown
}

/** The column types the encoding knows how to store; another one (a timestamp mode, say) fails loudly here. */
const KNOWN_TYPES = new Set(['SQLiteText', 'SQLiteInteger', 'SQLiteReal', 'SQLiteBoolean', 'SQLiteTextJson'])

const COLUMNS: readonly ColumnSpec[] = (Object.entries(getTableColumns(requestLogs)) as [keyof NewRequestLog, Column][]).map(([key, column]) => {
  if (!KNOWN_TYPES.has(column.columnType)) throw new Error(`request_logs.${column.name}: no encoding for ${column.columnType}`)
  const boolean = column.columnType === 'SQLiteBoolean'
  const fallback = column.default ?? null
  return { key, name: column.name, boolean, json: column.columnType === 'SQLiteTextJson', fallback: boolean ? Number(fallback) : fallback }
})

/**
 * A whole row as one JSON array of its column values, in table order: what the request log
 * queues and hands to its writer. One string per row, made once when the row is final: a queue
 * of strings holds nothing for the garbage collector to trace, and the batch sent to the writer
 * is the strings joined. A value JSON cannot carry (NaN, Infinity) becomes the column's default
 * rather than a null that a NOT NULL column would refuse, failing the whole batch.
 */
export function encodeRow(row: NewRequestLog): string {
  const values: unknown[] = Array.from({ length: COLUMNS.length })
  for (let i = 0; i < COLUMNS.length; i++) {
    const spec = COLUMNS[i]!
    const v = row[spec.key]
    values[i] = v == null || (typeof v === 'number' && !Number.isFinite(v))
      ? spec.fallback
      : spec.boolean ? (v ? 1 : 0) : v
  }
  return JSON.stringify(values)
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
  + `select ${COLUMNS.map((c, i) => `j${c.json ? '->' : '->>'}${i}`).join(',')} from r`

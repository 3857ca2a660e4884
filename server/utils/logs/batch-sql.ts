import type { InStatement } from '@libsql/client'
import { INSERT_ROWS_SQL, joinRows, TABLE_COLUMNS } from './row-encoding'
import type { LogWrite, RequestLogPatch } from './types'

type Column = (typeof TABLE_COLUMNS)[number][1]

/** One batch of queued writes, as it goes to the database or to the writer thread. */
export interface LogBatch {
  /**
   * The batch's whole rows, each encoded by `encodeRow`; joined (`joinRows`) they are the one
   * value {@link INSERT_ROWS_SQL} binds. Kept apart up to the writer: the joined text of a batch
   * is a fresh 100 KB string, and copying it cost the event loop half a millisecond per batch
   * (page faults on new memory), where each row is encoded straight into the writer thread's ring.
   */
  rows?: readonly string[]
  /** Changes to rows written earlier (rows the log no longer holds whole), after the inserts. */
  updates: InStatement[]
}

/** The columns a change can set: all but the id. */
const COLUMNS = TABLE_COLUMNS.filter((entry): entry is [keyof RequestLogPatch, Column] => entry[0] !== 'id')

function updateRow(id: string, patch: RequestLogPatch): InStatement | undefined {
  const set = COLUMNS.filter(([key]) => patch[key] !== undefined)
  if (!set.length) return undefined
  return {
    sql: `update request_logs set ${set.map(([, column]) => `"${column.name}"=?`).join(',')} where "id"=?`,
    args: [...set.map(([key, column]) => {
      const v = patch[key]
      return v === null ? null : column.mapToDriverValue(v as never)
    }), id] as never,
  }
}

/** One batch of queued writes: its whole rows in one INSERT, then its changes as UPDATEs, in order. */
export function logBatch(writes: readonly LogWrite[]): LogBatch {
  const encoded: string[] = []
  const updates: InStatement[] = []
  for (const w of writes) {
    if (w.kind === 'insert') encoded.push(w.encoded)
    else {
      const update = updateRow(w.id, w.patch)
      if (update) updates.push(update)
    }
  }
  return { rows: encoded.length ? encoded : undefined, updates }
}

/** A batch as the statements of one transaction on a libSQL client. */
export function batchStatements({ rows, updates }: LogBatch): InStatement[] {
  return rows === undefined ? updates : [{ sql: INSERT_ROWS_SQL, args: [joinRows(rows)] }, ...updates]
}

import type { InStatement } from '@libsql/client'
import { INSERT_ROW_SQL, rowValues, TABLE_COLUMNS } from './row-encoding'
import type { AnswerColumns, LogWrite, RequestLogPatch, RowWrite } from './types'

type Column = (typeof TABLE_COLUMNS)[number][1]

/** One batch of queued writes, as it goes to the database or to the writer thread. */
export interface LogBatch {
  /**
   * The batch's whole rows, as queued: encoded only where they go, straight into the writer
   * thread's ring (see `RowEncoder`), or as bound values on the main connection.
   */
  rows?: readonly RowWrite[]
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

/** One batch of queued writes: its whole rows, then its changes as UPDATEs, in order. */
export function logBatch(writes: readonly LogWrite[]): LogBatch {
  const rows: RowWrite[] = []
  const updates: InStatement[] = []
  for (const w of writes) {
    if (w.kind === 'insert') rows.push(w)
    else {
      const update = updateRow(w.id, w.patch)
      if (update) updates.push(update)
    }
  }
  return { rows: rows.length ? rows : undefined, updates }
}

/**
 * A batch as the statements of one transaction on a libSQL client: an insert per row, then the
 * changes. (The main connection writes only while the writer thread is missing or gone.) A row
 * whose answer was left to the thread has it read by `answerOf`.
 */
export function batchStatements({ rows, updates }: LogBatch, answerOf?: (w: RowWrite) => AnswerColumns): InStatement[] {
  if (!rows) return updates
  const inserts = rows.map((w) => {
    if (w.deferred && !answerOf) throw new Error(`request ${w.id}: its answer was left to the writer thread, and nothing here reads it`)
    return { sql: INSERT_ROW_SQL, args: rowValues(w.row, w.change, w.deferred ? answerOf!(w) : w.answer) }
  })
  return [...inserts, ...updates]
}

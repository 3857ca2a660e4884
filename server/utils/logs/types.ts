import type { requestLogs } from '#server/database/schema'

/** A stored request-log row (every column, bodies included). */
export type LogRow = typeof requestLogs.$inferSelect

/**
 * What the proxy records: `id`, `status`, `endpoint` and `initialTime` are required, every other
 * column has a default. Costs are stored as given (the pricing module computes them).
 */
export type NewRequestLog = typeof requestLogs.$inferInsert

/** Columns to change on a recorded row; anything not named keeps its value. */
export type RequestLogPatch = Partial<Omit<NewRequestLog, 'id'>>

/**
 * A whole row to write: `row`, or `row` as `change` leaves it (what the change leaves undefined
 * keeps the row's value), encoded only when handed to the writer; `final` when its status is
 * final, so no later version of it will follow. Neither object may change once queued: the
 * request log makes a new row for each change of a running request.
 */
export interface RowWrite { kind: 'insert', id: string, row: NewRequestLog, change?: RequestLogPatch, final?: boolean }

/** A queued write: a whole row, or a change to one written earlier. */
export type LogWrite = RowWrite | { kind: 'update', id: string, patch: RequestLogPatch }

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
 * A queued write: a whole row (encoded by `encodeRow`; `final` when its status is final, so no
 * later version of it will follow), or a change to one written earlier.
 */
export type LogWrite
  = | { kind: 'insert', id: string, encoded: string, final?: boolean }
    | { kind: 'update', id: string, patch: RequestLogPatch }

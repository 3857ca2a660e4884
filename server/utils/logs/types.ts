import type { requestLogs } from '#server/database/schema'
import type { UsageProtocol } from '#server/utils/usage/passthrough-usage'

/** A stored request-log row (every column, bodies included). */
export type LogRow = typeof requestLogs.$inferSelect

/**
 * What the proxy records: `id`, `status`, `endpoint` and `initialTime` are required, every other
 * column has a default. Costs are stored as given (the pricing module computes them).
 */
export type NewRequestLog = typeof requestLogs.$inferInsert

/** Columns to change on a recorded row; anything not named keeps its value. */
export type RequestLogPatch = Partial<Omit<NewRequestLog, 'id'>>

/** The columns that say what an answer used and cost. */
export type AnswerColumns = Pick<NewRequestLog, 'responseModel' | 'inputTokens' | 'outputTokens' | 'cacheReadInputTokens' | 'cacheCreationInputTokens'
  | 'cacheCreation1hInputTokens' | 'cacheCreation5mInputTokens' | 'reasoningTokens' | 'usageEstimated' | 'price' | 'inputCost' | 'outputCost'
  | 'cacheCreationCost' | 'cacheReadCost'>

/**
 * A successful non-streaming answer whose reading is left to the request log's writer thread: its
 * bytes as relayed, the protocol they are in, the serving channel's price multipliers (as JSON, or
 * '' for none) and the price table's version when the request ended, which prices it.
 */
export interface DeferredAnswer {
  /**
   * The answer's bytes: a copy off the JavaScript heap (see `copyAnswer`), so that the socket's
   * buffers are let go when the request ends and nothing large waits for the hand-over on the heap.
   */
  bytes: Buffer
  protocol: UsageProtocol
  multipliers: string
  pricingVersion: number
}

/**
 * A whole row to write: `row`, or `row` as `change` and then `answer` leave it (what they leave
 * undefined keeps the row's value), encoded only when handed to the writer; or with `deferred`,
 * an answer the writer reads and prices for the row's answer columns. `final` when its status is
 * final, so no later version of it will follow. None of the objects may change once queued: the
 * request log makes a new row for each change of a running request.
 */
export interface RowWrite {
  kind: 'insert'
  id: string
  row: NewRequestLog
  change?: RequestLogPatch
  answer?: AnswerColumns
  deferred?: DeferredAnswer
  final?: boolean
}

/** A queued write: a whole row, or a change to one written earlier. */
export type LogWrite = RowWrite | { kind: 'update', id: string, patch: RequestLogPatch }

import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { LogAttempt } from '#shared/schemas/logs'

// The one drizzle schema: SQL names are snake_case, TS keys camelCase. Every table lives here so
// `drizzle-kit generate` sees the whole database; migrations land in the top-level `drizzle/`.

/**
 * Channels taken out of rotation until `suspendedUntil` (e.g. after a quota or auth error), kept
 * across restarts. Keyed by the channel's stable id, never its position in the pool's list, so
 * reordering or deleting channels can't move a suspension onto another channel.
 */
export const channelSuspensions = sqliteTable('channel_suspensions', {
  /** `messages`, `responses` or `chat` (`PoolName`); plain text so new pools need no migration. */
  pool: text('pool').notNull(),
  channelId: text('channel_id').notNull(),
  /** Epoch ms. */
  suspendedAt: integer('suspended_at').notNull(),
  /** Epoch ms; the row is ignored, and lazily deleted, from then on. */
  suspendedUntil: integer('suspended_until').notNull(),
  reason: text('reason').notNull(),
}, t => [primaryKey({ columns: [t.pool, t.channelId] })])

/**
 * The runtime order of a channel's keys: keys that hit a 429 go last once another key of the
 * channel succeeded, and stay last across restarts. Kept here, not in config.json, which only
 * people write. Keys are stored as fingerprints, never in clear.
 */
export const keyOrder = sqliteTable('key_order', {
  /** `PoolName`, as in `channel_suspensions`. */
  pool: text('pool').notNull(),
  channelId: text('channel_id').notNull(),
  /** Fingerprint of the channel's whole `apiKeys` list: any edit of the keys makes the row stale. */
  keysFingerprint: text('keys_fingerprint').notNull(),
  /** JSON array of key fingerprints, in the order they were demoted (the last one goes last). */
  demoted: text('demoted').notNull(),
  /** Epoch ms. */
  updatedAt: integer('updated_at').notNull(),
}, t => [primaryKey({ columns: [t.pool, t.channelId] })])

/**
 * The model price table (USD per 1M tokens), in the admin API's names. Lookups match the longest
 * key that prefixes a model name, ignoring case, so the store keeps keys unique ignoring case.
 */
export const pricing = sqliteTable('pricing', {
  model: text('model').primaryKey(),
  inputPrice: real('input_price').notNull(),
  outputPrice: real('output_price').notNull(),
  /** NULL: 1.25× the input price. */
  cacheCreationPrice: real('cache_creation_price'),
  /** NULL: 0.1× the input price. */
  cacheReadPrice: real('cache_read_price'),
  description: text('description').notNull().default(''),
  /** Listed in `GET /v1/models`. */
  exportToModels: integer('export_to_models', { mode: 'boolean' }).notNull().default(true),
  /** Epoch ms. */
  updatedAt: integer('updated_at').notNull(),
})

/**
 * One row once the price table was first filled (with the defaults, or a Go cc-bridge
 * `pricing.json`), so deleting models later never brings the seed back.
 */
export const pricingSeed = sqliteTable('pricing_seed', {
  /** Always 1: the table holds at most one row. */
  id: integer('id').primaryKey(),
  /** `defaults`, `pricing.json`, or `existing` (rows were there already). */
  source: text('source').notNull(),
  /** Epoch ms. */
  seededAt: integer('seeded_at').notNull(),
})

/**
 * The request log: one row per client request, whatever number of attempts it took (each one
 * is in `attempts`). Times are epoch ms. Costs are USD as priced when the request ended. The
 * failed bodies are the last columns, so listing the other columns never reads their pages.
 */
export const requestLogs = sqliteTable('request_logs', {
  id: text('id').primaryKey(),
  /** `pending`, `retry_wait`, `failover` while running; `completed`, `error` or `timeout` at the end. */
  status: text('status').notNull(),
  /** `PoolName` of the channels that served it. */
  pool: text('pool'),
  endpoint: text('endpoint').notNull(),
  initialTime: integer('initial_time').notNull(),
  firstTokenTime: integer('first_token_time'),
  completeTime: integer('complete_time'),
  durationMs: integer('duration_ms').notNull().default(0),
  firstTokenDurationMs: integer('first_token_duration_ms'),
  /** Status sent to the client; 499 when the client went away, 0 while pending. */
  httpStatus: integer('http_status').notNull().default(0),
  /** Model the client asked for. */
  model: text('model'),
  /** Model sent upstream after the channel's mapping. */
  mappedModel: text('mapped_model'),
  /** Model the upstream reported. */
  responseModel: text('response_model'),
  reasoningEffort: text('reasoning_effort'),
  /** The stable id of the channel that served the request (or last tried it). */
  channelUid: text('channel_uid'),
  channelName: text('channel_name'),
  /** Channel that actually served it; differs from `channelName` only behind a composite channel. */
  providerName: text('provider_name'),
  /** The channel's service type (`claude`, `openai`, `responses`, `gemini`, …). */
  type: text('type'),
  maskedKey: text('masked_key'),
  stream: integer('stream', { mode: 'boolean' }).notNull().default(false),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  /** All cache writes; the 5 min / 1 h split below when the upstream gives it. */
  cacheCreationInputTokens: integer('cache_creation_input_tokens').notNull().default(0),
  cacheCreation5mInputTokens: integer('cache_creation_5m_input_tokens'),
  cacheCreation1hInputTokens: integer('cache_creation_1h_input_tokens'),
  cacheReadInputTokens: integer('cache_read_input_tokens').notNull().default(0),
  /** Part of `outputTokens` spent thinking, when reported. */
  reasoningTokens: integer('reasoning_tokens').notNull().default(0),
  /** The token counts were estimated locally, not reported by the upstream. */
  usageEstimated: integer('usage_estimated', { mode: 'boolean' }).notNull().default(false),
  price: real('price').notNull().default(0),
  inputCost: real('input_cost').notNull().default(0),
  outputCost: real('output_cost').notNull().default(0),
  cacheCreationCost: real('cache_creation_cost').notNull().default(0),
  cacheReadCost: real('cache_read_cost').notNull().default(0),
  clientId: text('client_id'),
  sessionId: text('session_id'),
  userAgent: text('user_agent'),
  /** Side requests (count_tokens) that teach the scheduler nothing; not replayed into its metrics. */
  observeOnly: integer('observe_only', { mode: 'boolean' }).notNull().default(false),
  error: text('error'),
  upstreamError: text('upstream_error'),
  /** The decision trail as text, e.g. `chanA 500 > retry > chanB 200`. */
  failoverInfo: text('failover_info'),
  attempts: text('attempts', { mode: 'json' }).$type<LogAttempt[]>().notNull().default([]),
  requestBody: text('request_body'),
  responseBody: text('response_body'),
}, t => [
  // Two indexes only: every row is written once on the hot path's schedule, and each index costs
  // that write another b-tree. Lists and stats are read by time range (the other filters narrow
  // that range's rows); a client's sessions are looked up on their own.
  index('request_logs_initial_time').on(t.initialTime),
  index('request_logs_client_time').on(t.clientId, t.sessionId, t.initialTime),
])

/**
 * Responses API turns kept for `previous_response_id` and `GET /v1/responses/{id}`: every
 * response a client did not send with `store: false`. A turn holds only its own new input items;
 * its history is the chain of `previous_response_id` rows before it, all in one conversation.
 */
export const responseSessions = sqliteTable('response_sessions', {
  /** The response id (`resp_…`), as the upstream (or a converter) minted it. */
  id: text('id').primaryKey(),
  /** The id of the conversation's first response: one indexed read loads a whole chain. */
  conversationId: text('conversation_id').notNull(),
  previousResponseId: text('previous_response_id'),
  /** The channel that produced it; only that channel's upstream may know the id too. */
  channelId: text('channel_id').notNull(),
  /** The model the client asked for. */
  model: text('model').notNull(),
  /** JSON array: the input items this turn added (a string input as one user message). */
  input: text('input').notNull(),
  /** JSON: the response object, as the client received it (its `output` holds the output items). */
  response: text('response').notNull(),
  /** Bytes of input and response of this turn and every turn before it, for the size limit. */
  conversationBytes: integer('conversation_bytes').notNull(),
  /** Epoch ms. */
  createdAt: integer('created_at').notNull(),
  /** Epoch ms; every new turn moves the whole conversation's expiry on. */
  expiresAt: integer('expires_at').notNull(),
}, t => [
  index('response_sessions_conversation').on(t.conversationId),
  index('response_sessions_expires').on(t.expiresAt),
])

import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

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

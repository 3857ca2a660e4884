import { integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

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

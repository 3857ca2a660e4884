import { inArray } from 'drizzle-orm'
import type { ModelPrice, PricingModelEntry, PricingView } from '#shared/schemas/pricing'
import { pricing, pricingSeed } from '#server/database/schema'
import type { Db } from '#server/utils/db/client'
import { createWriteQueue } from '#server/utils/db/write-queue'
import { log } from '#server/utils/log'
import { DEFAULT_PRICING } from './defaults'
import { readGoPricingFile } from './go-import'
import { createQuoter, type PricedModel, type QuoteRequest, type Quoter, type RequestQuote } from './quoter'

/**
 * The model price table. Reads are synchronous, from memory (a cost is computed for every
 * request row); writes update memory at once and reach the database through a serialized queue.
 */
export interface PricingStore {
  /** The table as `GET /api/pricing` shows it, keys in code-point order. */
  view(): PricingView
  /** The longest key prefixing `model`, ignoring case, and its price. */
  lookup(model: string): { key: string, price: ModelPrice } | undefined
  /** The price for a request: the response model's when it has one, else the requested model's. */
  priceFor(requestedModel: string, responseModel?: string): PricedModel | undefined
  /**
   * The cost of a request: {@link priceFor}, then `priceRequest` with the serving channel's
   * multipliers for the priced model.
   */
  quote(request: QuoteRequest): RequestQuote
  /** The table as it is now, numbered: the request log's writer thread prices with a copy of it. */
  snapshot(): PricingSnapshot
  /** The number of the table as it is now (see {@link PricingSnapshot}). */
  version(): number
  /** Calls `listener` with each new state of the table; returns what stops it. */
  subscribe(listener: (snapshot: PricingSnapshot) => void): () => void
  /** Model names listed in `GET /v1/models` (`exportToModels`), sorted. */
  exportedModels(): readonly string[]
  /** Replaces the whole table. */
  replaceAll(models: Readonly<Record<string, ModelPrice>>): void
  /** Adds or replaces models; a name equal ignoring case replaces the old entry and its spelling. */
  upsert(entries: readonly PricingModelEntry[]): void
  /** Deletes a model (name compared ignoring case); returns the key deleted, or undefined. */
  remove(model: string): string | undefined
  /** Restores the shipped defaults. */
  reset(): void
  /**
   * Fills the cache from the database. The first time ever (no seed row), it seeds the table:
   * from the Go cc-bridge's `pricing.json` when `goPricingPath` names a usable one, else with
   * the defaults, and records that, so later deletions stay deleted.
   */
  load(): Promise<void>
  /** Resolves once every write issued so far has landed (or failed and been logged). */
  flush(): Promise<void>
}

/** A state of the price table: `version` grows by one with every change. */
export interface PricingSnapshot {
  version: number
  models: Record<string, ModelPrice>
}

export interface PricingStoreOptions {
  /** A Go cc-bridge `pricing.json` to import on the first start (`CONFIG_DIR/pricing.json`). */
  goPricingPath?: string
  /** Epoch ms, for `updated_at`. */
  clock?: () => number
  /** The process log by default. */
  logger?: { error(message: string, error: unknown): void, warn(message: string): void, info(message: string): void }
}

type Row = typeof pricing.$inferInsert

/** Rows per INSERT, well under SQLite's bound-parameter limit. */
const CHUNK = 500

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function toRow(model: string, p: ModelPrice, updatedAt: number): Row {
  return {
    model, updatedAt,
    inputPrice: p.inputPrice,
    outputPrice: p.outputPrice,
    cacheCreationPrice: p.cacheCreationPrice ?? null,
    cacheReadPrice: p.cacheReadPrice ?? null,
    description: p.description,
    exportToModels: p.exportToModels,
  }
}

function fromRow(row: typeof pricing.$inferSelect): ModelPrice {
  return {
    inputPrice: row.inputPrice,
    outputPrice: row.outputPrice,
    ...(row.cacheCreationPrice == null ? {} : { cacheCreationPrice: row.cacheCreationPrice }),
    ...(row.cacheReadPrice == null ? {} : { cacheReadPrice: row.cacheReadPrice }),
    description: row.description,
    exportToModels: row.exportToModels,
  }
}

const copy = (p: ModelPrice): ModelPrice => ({ ...p })

/** A {@link PricingStore} over the `pricing` and `pricing_seed` tables. */
export function createPricingStore(db: Db, options: PricingStoreOptions = {}): PricingStore {
  const clock = options.clock ?? Date.now
  const logger = options.logger ?? log
  const queue = createWriteQueue('pricing', logger.error)
  const models = new Map<string, ModelPrice>()
  /** Lowercased name → key as written. */
  const keys = new Map<string, string>()
  let quoter: Quoter = createQuoter(models)
  let exported: readonly string[] = []
  let version = 0
  const listeners = new Set<(snapshot: PricingSnapshot) => void>()

  function set(entries: Iterable<[string, ModelPrice]>, clear: boolean): void {
    if (clear) {
      models.clear()
      keys.clear()
    }
    for (const [model, price] of entries) {
      const old = keys.get(model.toLowerCase())
      if (old !== undefined) models.delete(old)
      // Frozen: quotes hand out the table's own price objects, uncopied.
      models.set(model, Object.freeze(copy(price)))
      keys.set(model.toLowerCase(), model)
    }
    changed()
  }

  function changed(): void {
    quoter = createQuoter(models)
    exported = [...models].filter(([, p]) => p.exportToModels).map(([m]) => m).sort(byCodePoint)
    version++
    if (listeners.size) {
      const now = snapshot()
      for (const listener of listeners) listener(now)
    }
  }

  function snapshot(): PricingSnapshot {
    return { version, models: Object.fromEntries([...models].map(([m, p]) => [m, copy(p)])) }
  }

  function inserts(rows: Row[]) {
    const out = []
    for (let i = 0; i < rows.length; i += CHUNK) out.push(db.insert(pricing).values(rows.slice(i, i + CHUNK)))
    return out
  }

  /** The first fill: the Go file when there is a usable one, else the defaults. */
  async function seed(): Promise<void> {
    const now = clock()
    const [existing] = await db.select({ model: pricing.model }).from(pricing).limit(1)
    let source = 'existing'
    let table: Readonly<Record<string, ModelPrice>> = {}
    if (!existing) {
      const file = options.goPricingPath ? readGoPricingFile(options.goPricingPath) : { status: 'absent' as const }
      if (file.status === 'invalid') logger.warn(`[pricing] ${options.goPricingPath} not imported: ${file.reason}; using the default prices (fix the file and send it with PUT /api/pricing)`)
      if (file.status === 'ok') {
        source = 'pricing.json'
        table = file.models
        logger.info(`[pricing] imported ${Object.keys(table).length} models from ${options.goPricingPath}`)
      }
      else {
        source = 'defaults'
        table = DEFAULT_PRICING
      }
    }
    const rows = Object.entries(table).map(([m, p]) => toRow(m, p, now))
    await db.batch([db.insert(pricingSeed).values({ id: 1, source, seededAt: now }), ...inserts(rows)])
  }

  const store: PricingStore = {
    view() {
      const out: Record<string, ModelPrice> = {}
      for (const key of [...models.keys()].sort(byCodePoint)) out[key] = copy(models.get(key)!)
      return { models: out, currency: 'USD' }
    },

    lookup(model) {
      const found = quoter.lookup(model)
      return found && { key: found.key, price: copy(found.price) }
    },

    priceFor(requestedModel, responseModel) {
      const priced = quoter.pricedFor(requestedModel, responseModel)
      return priced && { ...priced, price: copy(priced.price) }
    },

    quote: request => quoter.quote(request),
    snapshot,
    version: () => version,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    exportedModels: () => exported,

    replaceAll(table) {
      set(Object.entries(table), true)
      const rows = [...models].map(([m, p]) => toRow(m, p, clock()))
      queue.enqueue('replace', () => db.batch([db.delete(pricing), ...inserts(rows)]))
    },

    upsert(entries) {
      const replaced = entries.flatMap(e => keys.get(e.model.toLowerCase()) ?? [])
      set(entries.map(({ model, ...price }) => [model, price]), false)
      const rows = entries.map(({ model }) => toRow(model, models.get(model)!, clock()))
      const names = [...new Set([...replaced, ...rows.map(r => r.model)])]
      queue.enqueue('upsert', () => db.batch([db.delete(pricing).where(inArray(pricing.model, names)), ...inserts(rows)]))
    },

    remove(model) {
      const key = keys.get(model.toLowerCase())
      if (key === undefined) return undefined
      models.delete(key)
      keys.delete(key.toLowerCase())
      changed()
      queue.enqueue('delete', () => db.delete(pricing).where(inArray(pricing.model, [key])))
      return key
    },

    reset() {
      store.replaceAll(DEFAULT_PRICING)
    },

    async load() {
      await queue.flush()
      const [seeded] = await db.select().from(pricingSeed).limit(1)
      if (!seeded) await seed()
      set((await db.select().from(pricing)).map(row => [row.model, fromRow(row)]), true)
    },

    flush: queue.flush,
  }
  return store
}

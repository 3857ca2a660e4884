import { and, eq, gt, lte } from 'drizzle-orm'
import { responseSessions } from '#server/database/schema'
import { log } from '#server/utils/log'
import type { Db } from './client'
import { createWriteQueue } from './write-queue'

/** One stored Responses turn, as its row holds it. */
export type StoredResponse = typeof responseSessions.$inferSelect

/** A turn to keep: the row without its expiry, which the store sets. */
export type NewStoredResponse = Omit<StoredResponse, 'expiresAt' | 'createdAt'>

/**
 * The Responses turns kept for `previous_response_id`, `GET` and `DELETE /v1/responses/{id}`.
 * Writes go through a queue, off the request's path; a turn is readable from memory at once,
 * before its row lands, so a client that continues straight away finds it.
 */
export interface ResponseSessionStore {
  /** A live turn, or undefined when unknown, deleted or expired. */
  get(id: string): Promise<StoredResponse | undefined>
  /**
   * Every live turn of a conversation, oldest first (what `previous_response_id` chains walk).
   */
  conversation(conversationId: string): Promise<StoredResponse[]>
  /** Keeps a turn; the whole conversation then lives `ttlMs` from now. */
  save(turn: NewStoredResponse): void
  /** Deletes a turn; false when there was no live one. */
  delete(id: string): Promise<boolean>
  /** Deletes expired turns now; returns how many went. */
  sweep(): Promise<number>
  /** Resolves once every write issued so far has landed (or failed and been logged). */
  flush(): Promise<void>
  /** Stops the periodic sweep. */
  close(): void
}

export interface ResponseSessionStoreOptions {
  /** How long a conversation is kept after its last turn, in ms. */
  ttlMs: number
  /** Epoch ms. */
  clock?: () => number
  /** How often expired turns are deleted, in ms; 0 turns the timer off (tests sweep by hand). */
  sweepEveryMs?: number
  logError?: (message: string, error: unknown) => void
}

/** Expired turns are deleted this often at most (and at least once per TTL). */
const SWEEP_EVERY_MS = 5 * 60_000

/** A {@link ResponseSessionStore} over the `response_sessions` table. */
export function createResponseSessionStore(db: Db, options: ResponseSessionStoreOptions): ResponseSessionStore {
  const clock = options.clock ?? Date.now
  const queue = createWriteQueue('response sessions', options.logError ?? log.error)
  /** Turns saved but maybe not written yet, by id; dropped once their write has landed. */
  const pending = new Map<string, StoredResponse>()
  const logError = options.logError ?? log.error
  const live = (row: StoredResponse | undefined, now: number) => (row && row.expiresAt > now ? row : undefined)

  const every = options.sweepEveryMs ?? Math.min(SWEEP_EVERY_MS, options.ttlMs)
  const timer = every > 0 ? setInterval(() => store.sweep().catch(error => logError('[db] response sessions: sweep failed', error)), every) : undefined
  timer?.unref()

  const store: ResponseSessionStore = {
    async get(id) {
      const now = clock()
      const held = pending.get(id)
      if (held) return live(held, now)
      const [row] = await db.select().from(responseSessions).where(and(eq(responseSessions.id, id), gt(responseSessions.expiresAt, now)))
      return row
    },

    async conversation(conversationId) {
      const now = clock()
      const rows = await db.select().from(responseSessions)
        .where(and(eq(responseSessions.conversationId, conversationId), gt(responseSessions.expiresAt, now)))
      const byId = new Map(rows.map(r => [r.id, r]))
      for (const held of pending.values()) {
        if (held.conversationId === conversationId && held.expiresAt > now) byId.set(held.id, held)
      }
      return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt)
    },

    save(turn) {
      const now = clock()
      const row: StoredResponse = { ...turn, createdAt: now, expiresAt: now + options.ttlMs }
      pending.set(row.id, row)
      for (const held of pending.values()) {
        if (held.conversationId === row.conversationId) held.expiresAt = row.expiresAt
      }
      queue.enqueue('save', async () => {
        try {
          await db.insert(responseSessions).values(row).onConflictDoUpdate({ target: responseSessions.id, set: row })
          await db.update(responseSessions).set({ expiresAt: row.expiresAt })
            .where(eq(responseSessions.conversationId, row.conversationId))
        }
        finally {
          if (pending.get(row.id) === row) pending.delete(row.id)
        }
      })
    },

    async delete(id) {
      const existing = await store.get(id)
      if (!existing) return false
      pending.delete(id)
      await queue.flush()
      await db.delete(responseSessions).where(eq(responseSessions.id, id))
      return true
    },

    async sweep() {
      await queue.flush()
      const gone = await db.delete(responseSessions).where(lte(responseSessions.expiresAt, clock())).returning({ id: responseSessions.id })
      return gone.length
    },

    flush: queue.flush,

    close() {
      clearInterval(timer)
    },
  }
  return store
}

import { createHash } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { PoolName, StoredChannel } from '#shared/schemas/config'
import { keyOrder } from '#server/database/schema'
import { log } from '#server/utils/log'
import type { KeyMove } from '#server/utils/scheduler/types'
import type { Db } from './client'
import { createWriteQueue } from './write-queue'

/**
 * The runtime order of each channel's keys, over the config's order: keys that hit a 429 go last
 * and stay there across restarts, without touching config.json (its backups and revision are the
 * human's). Reads are synchronous and cached, because routing asks on every request.
 */
export interface KeyOrderStore {
  /**
   * The pool's channels with their keys in runtime order. Returns the same array for the same
   * input while nothing was demoted, so the hot path allocates nothing.
   */
  apply(pool: PoolName, channels: readonly StoredChannel[]): readonly StoredChannel[]
  /** Moves each key to the end of its channel's runtime order, and stores the order. */
  demote(moves: readonly KeyMove[]): void
  /** Fills the cache from the database; call once before serving. */
  load(): Promise<void>
  /** Resolves once every write issued so far has landed (or failed and been logged). */
  flush(): Promise<void>
}

interface Entry {
  pool: string
  channelId: string
  keysFingerprint: string
  /** Key fingerprints, in demotion order. */
  demoted: string[]
}

/** A short, stable, one-way name for a key: the order is stored without the secret. */
const fingerprint = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 22)
const listFingerprint = (keys: readonly string[]) => fingerprint(keys.join('\n'))
const entryId = (pool: string, channelId: string) => `${pool}\n${channelId}`

/** The keys in runtime order: the ones never demoted in config order, then the demoted ones. */
function ordered(keys: readonly string[], demoted: readonly string[]): string[] {
  const rank = new Map(demoted.map((f, i) => [f, i]))
  const fresh: string[] = []
  const late: { key: string, at: number }[] = []
  for (const key of keys) {
    const at = rank.get(fingerprint(key))
    if (at === undefined) fresh.push(key)
    else late.push({ key, at })
  }
  return [...fresh, ...late.sort((a, b) => a.at - b.at).map(k => k.key)]
}

/**
 * A {@link KeyOrderStore} over the `key_order` table. A row whose key-list fingerprint no longer
 * matches the channel's keys (an admin or hand edit of them) is dropped: the edited order wins.
 */
export function createKeyOrderStore(db: Db, options: { clock?: () => number, logError?: (message: string, error: unknown) => void } = {}): KeyOrderStore {
  const clock = options.clock ?? Date.now
  const queue = createWriteQueue('key order', options.logError ?? log.error)
  const entries = new Map<string, Entry>()
  /** Per pool: the config's channels last seen, and their runtime order (unset once stale). */
  const memo = new Map<string, { input: readonly StoredChannel[], output?: readonly StoredChannel[] }>()

  function drop(entry: Entry): void {
    entries.delete(entryId(entry.pool, entry.channelId))
    queue.enqueue('reset', () => db.delete(keyOrder).where(and(eq(keyOrder.pool, entry.pool), eq(keyOrder.channelId, entry.channelId))))
  }

  function reorder(pool: PoolName, channel: StoredChannel): StoredChannel {
    const entry = entries.get(entryId(pool, channel.id))
    if (!entry) return channel
    if (entry.keysFingerprint !== listFingerprint(channel.apiKeys)) {
      drop(entry)
      return channel
    }
    const apiKeys = ordered(channel.apiKeys, entry.demoted)
    return apiKeys.every((k, i) => k === channel.apiKeys[i]) ? channel : { ...channel, apiKeys }
  }

  return {
    apply(pool, channels) {
      const last = memo.get(pool)
      if (last?.input === channels && last.output) return last.output
      const reordered = entries.size ? channels.map(c => reorder(pool, c)) : channels
      const output = reordered.every((c, i) => c === channels[i]) ? channels : reordered
      memo.set(pool, { input: channels, output })
      return output
    },

    demote(moves) {
      for (const m of moves) {
        const channel = memo.get(m.pool)?.input.find(c => c.id === m.channelId)
        if (!channel || !channel.apiKeys.includes(m.key)) continue
        const id = entryId(m.pool, m.channelId)
        const keysFingerprint = listFingerprint(channel.apiKeys)
        const current = entries.get(id)
        const demoted = current?.keysFingerprint === keysFingerprint ? current.demoted : []
        const now = ordered(channel.apiKeys, demoted)
        if (now.at(-1) === m.key) continue
        const f = fingerprint(m.key)
        const entry: Entry = { pool: m.pool, channelId: m.channelId, keysFingerprint, demoted: [...demoted.filter(d => d !== f), f] }
        entries.set(id, entry)
        memo.get(m.pool)!.output = undefined
        const row = { pool: entry.pool, channelId: entry.channelId, keysFingerprint, demoted: JSON.stringify(entry.demoted), updatedAt: clock() }
        queue.enqueue('demote', () => db.insert(keyOrder).values(row).onConflictDoUpdate({
          target: [keyOrder.pool, keyOrder.channelId],
          set: { keysFingerprint: row.keysFingerprint, demoted: row.demoted, updatedAt: row.updatedAt },
        }))
      }
    },

    async load() {
      await queue.flush()
      for (const row of await db.select().from(keyOrder)) {
        const id = entryId(row.pool, row.channelId)
        if (entries.has(id)) continue
        let demoted: unknown
        try {
          demoted = JSON.parse(row.demoted)
        }
        catch {
          demoted = undefined
        }
        if (Array.isArray(demoted) && demoted.every(d => typeof d === 'string')) entries.set(id, { ...row, demoted })
      }
      memo.clear()
    },

    flush: queue.flush,
  }
}

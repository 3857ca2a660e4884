import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredChannel } from '#shared/schemas/config'
import { keyOrder } from '#server/database/schema'
import { createDb, type Db } from '#server/utils/db/client'
import { createKeyOrderStore } from '#server/utils/db/key-order'
import { applyMigrations } from '#server/utils/db/migrate'
import { fsReader, tempDir } from './helpers'

const K = ['sk-key-aaaaaaaaaaaaaaaa-0', 'sk-key-bbbbbbbbbbbbbbbb-1', 'sk-key-cccccccccccccccc-2']
const chan = (id: string, apiKeys = K): StoredChannel => ({ id, name: id, serviceType: 'claude', baseUrl: 'https://x.example', apiKeys })

describe('createKeyOrderStore', () => {
  let tmp: ReturnType<typeof tempDir>
  const open: Db[] = []
  const stores: ReturnType<typeof createKeyOrderStore>[] = []

  async function restart() {
    const db = await createDb(`file:${join(tmp.dir, 'k.db')}`)
    open.push(db)
    await applyMigrations(db.$client, fsReader())
    const store = createKeyOrderStore(db, { clock: () => 1 })
    await store.load()
    stores.push(store)
    return { db, store }
  }

  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.flush()
    for (const db of open.splice(0)) db.$client.close()
    tmp.remove()
  })

  it('hands back the same array while nothing was demoted, so routing allocates nothing', async () => {
    const { store } = await restart()
    const channels = [chan('a'), chan('b')]
    expect(store.apply('messages', channels)).toBe(channels)
    expect(store.apply('messages', channels)).toBe(channels)
  })

  it('puts demoted keys last, in the order they were demoted, only on their channel and pool', async () => {
    const { store } = await restart()
    const channels = [chan('a'), chan('b')]
    store.apply('messages', channels)
    store.demote([{ pool: 'messages', channelId: 'a', key: K[0]! }, { pool: 'messages', channelId: 'a', key: K[1]! }])
    const applied = store.apply('messages', channels)
    expect(applied[0]!.apiKeys).toEqual([K[2], K[0], K[1]])
    expect(applied[1]).toBe(channels[1])
    expect(store.apply('messages', channels)).toBe(applied)
    expect(store.apply('chat', channels)).toBe(channels)
    // The config's own channel objects are never changed.
    expect(channels[0]!.apiKeys).toEqual(K)
  })

  it('keeps the order across a restart and stores fingerprints, never the keys', async () => {
    const first = await restart()
    first.store.apply('messages', [chan('a')])
    first.store.demote([{ pool: 'messages', channelId: 'a', key: K[0]! }])
    await first.store.flush()
    const rows = await first.db.select().from(keyOrder)
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain('sk-key')
    const second = await restart()
    expect(second.store.apply('messages', [chan('a')])[0]!.apiKeys).toEqual([K[1], K[2], K[0]])
  })

  it('forgets the order once the channel\'s keys were edited, in memory and in the table', async () => {
    const { db, store } = await restart()
    store.apply('messages', [chan('a')])
    store.demote([{ pool: 'messages', channelId: 'a', key: K[0]! }])
    const edited = [chan('a', [...K, 'sk-key-dddddddddddddddd-3'])]
    expect(store.apply('messages', edited)[0]!.apiKeys).toEqual(edited[0]!.apiKeys)
    await store.flush()
    expect(await db.select().from(keyOrder)).toEqual([])
  })

  it('writes nothing for a key that is last already, or unknown to the channel', async () => {
    const { db, store } = await restart()
    store.apply('messages', [chan('a')])
    store.demote([{ pool: 'messages', channelId: 'a', key: K[2]! }, { pool: 'messages', channelId: 'a', key: 'sk-gone' }, { pool: 'messages', channelId: 'zz', key: K[0]! }])
    await store.flush()
    expect(await db.select().from(keyOrder)).toEqual([])
  })
})

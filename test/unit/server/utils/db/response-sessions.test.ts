import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDb, type Db } from '#server/utils/db/client'
import { applyMigrations } from '#server/utils/db/migrate'
import { createResponseSessionStore, type NewStoredResponse } from '#server/utils/db/response-sessions'
import { fsReader, tempDir } from './helpers'

const T0 = 1_800_000_000_000
const HOUR = 3_600_000

function turn(id: string, conversationId: string, previousResponseId: string | null = null): NewStoredResponse {
  return { id, conversationId, previousResponseId, channelId: 'c1', model: 'm', input: '[]', response: JSON.stringify({ id, output: [] }), conversationBytes: 10 }
}

describe('createResponseSessionStore', () => {
  let tmp: ReturnType<typeof tempDir>
  let db: Db
  let now: number
  const clock = () => now
  const storeOn = (d: Db) => createResponseSessionStore(d, { ttlMs: 24 * HOUR, clock, sweepEveryMs: 0 })

  beforeEach(async () => {
    tmp = tempDir()
    now = T0
    db = await createDb(`file:${join(tmp.dir, 'test.db')}`)
    await applyMigrations(db.$client, fsReader())
  })
  afterEach(() => {
    db.$client.close()
    tmp.remove()
  })

  it('serves a turn at once, before its write lands, and from the table after a restart', async () => {
    const store = storeOn(db)
    store.save(turn('resp_1', 'resp_1'))
    expect((await store.get('resp_1'))?.id).toBe('resp_1')
    await store.flush()
    const again = storeOn(await createDb(`file:${join(tmp.dir, 'test.db')}`))
    expect(await again.get('resp_1')).toMatchObject({ id: 'resp_1', createdAt: T0, expiresAt: T0 + 24 * HOUR })
  })

  it('lists a conversation oldest first and moves its whole expiry on with every turn', async () => {
    const store = storeOn(db)
    store.save(turn('resp_1', 'resp_1'))
    store.save(turn('other', 'other'))
    now += 20 * HOUR
    store.save(turn('resp_2', 'resp_1', 'resp_1'))
    await store.flush()
    now += 10 * HOUR
    expect((await store.conversation('resp_1')).map(t => t.id)).toEqual(['resp_1', 'resp_2'])
    expect(await store.get('other')).toBeUndefined()
    expect(await store.sweep()).toBe(1)
  })

  it('forgets expired and deleted turns', async () => {
    const store = storeOn(db)
    store.save(turn('resp_1', 'resp_1'))
    store.save(turn('resp_2', 'resp_2'))
    expect(await store.delete('resp_1')).toBe(true)
    expect(await store.delete('resp_1')).toBe(false)
    expect(await store.get('resp_1')).toBeUndefined()
    now += 24 * HOUR
    expect(await store.get('resp_2')).toBeUndefined()
    expect(await store.delete('resp_2')).toBe(false)
  })
})

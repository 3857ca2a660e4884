import { readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StaleRevisionError } from '#server/utils/config/errors'
import { createConfigStore } from '#server/utils/config/store'
import type { ConfigStore } from '#server/utils/config/store'
import { goConfig, memoryLog, tempDir, writeConfigJson } from './fixtures'

const open: ConfigStore[] = []
afterEach(() => {
  for (const store of open.splice(0)) store.close()
})

async function goStore() {
  const dir = await tempDir()
  const file = await writeConfigJson(dir, goConfig())
  const log = memoryLog()
  const store = createConfigStore({ dir, log })
  open.push(store)
  return { dir, file, log, store }
}

describe('mutate', () => {
  it('saves, bumps the revision and tells listeners', async () => {
    const { file, store } = await goStore()
    const seen: number[] = []
    store.onChange(s => seen.push(s.revision))
    await store.mutate((c) => {
      c.loadBalance = 'random'
    })
    expect(store.get().revision).toBe(2)
    expect(store.get().config.loadBalance).toBe('random')
    expect(JSON.parse(await readFile(file, 'utf8')).loadBalance).toBe('random')
    expect(seen).toEqual([2])
  })

  it('never overwrites a hand edit the watcher has not applied yet, and treats it as a new revision', async () => {
    const { file, store } = await goStore()
    await store.settled()
    const edited = JSON.parse(await readFile(file, 'utf8'))
    edited.upstream[0].description = 'typed by hand'
    await writeFile(file, JSON.stringify(edited, null, 2))
    // No watcher runs in this test: the save itself must notice the edit.
    await expect(store.mutate(c => void (c.loadBalance = 'random'), { ifMatch: '"1"' })).rejects.toBeInstanceOf(StaleRevisionError)
    await store.mutate((c) => {
      c.loadBalance = 'random'
    })
    const saved = JSON.parse(await readFile(file, 'utf8'))
    expect(saved.upstream[0].description).toBe('typed by hand')
    expect(saved.loadBalance).toBe('random')
    expect(store.get().config.upstream[0]!.description).toBe('typed by hand')
  })

  it('rejects a stale If-Match with 409 and changes nothing', async () => {
    const { file, store } = await goStore()
    await store.mutate((c) => {
      c.loadBalance = 'random'
    })
    const before = await readFile(file, 'utf8')
    const stale = store.mutate((c) => {
      c.loadBalance = 'failover'
    }, { ifMatch: '"1"' })
    await expect(stale).rejects.toBeInstanceOf(StaleRevisionError)
    await expect(stale).rejects.toMatchObject({ status: 409, message: 'Configuration changed; reload and retry' })
    expect(await readFile(file, 'utf8')).toBe(before)
    expect(store.get().revision).toBe(2)
  })

  it.each(['"2"', 'W/"2"', '*', '"1", "2"'])('accepts If-Match %s at revision 2', async (ifMatch) => {
    const { store } = await goStore()
    await store.mutate((c) => {
      c.loadBalance = 'random'
    })
    await store.mutate((c) => {
      c.loadBalance = 'failover'
    }, { ifMatch })
    expect(store.get().revision).toBe(3)
  })

  it('runs writes one at a time, so the second sees the first and a stale tag loses', async () => {
    const { store } = await goStore()
    const results = await Promise.allSettled([
      store.mutate((c) => {
        c.upstream[0]!.apiKeys.push('key-a-000000000000')
      }, { ifMatch: '"1"' }),
      store.mutate((c) => {
        c.upstream[0]!.apiKeys.push('key-b-000000000000')
      }, { ifMatch: '"1"' }),
      store.mutate((c) => {
        c.upstream[0]!.apiKeys.push('key-c-000000000000')
      }),
    ])
    expect(results.map(r => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(store.get().config.upstream[0]!.apiKeys.slice(-2)).toEqual(['key-a-000000000000', 'key-c-000000000000'])
  })

  it('keeps the old config when the change is invalid or the callback throws', async () => {
    const { file, store } = await goStore()
    const before = await readFile(file, 'utf8')
    await expect(store.mutate((c) => {
      c.upstream[0]!.baseUrl = 'not a url'
    })).rejects.toThrow('must be an http(s) URL')
    await expect(store.mutate(() => {
      throw new Error('nope')
    })).rejects.toThrow('nope')
    expect(store.get().config.upstream[0]!.baseUrl).toBe('https://api.anthropic.com')
    expect(store.get().revision).toBe(1)
    expect(await readFile(file, 'utf8')).toBe(before)
  })

  it('hands out a frozen config, so callers cannot change it behind the store', async () => {
    const { store } = await goStore()
    expect(() => {
      store.get().config.upstream[0]!.name = 'x'
    }).toThrow(TypeError)
  })
})

describe('hot reload', () => {
  it('applies a hand edit within a second, without a restart', async () => {
    const { file, store } = await goStore()
    store.watch()
    const edited = goConfig()
    edited.upstream[0]!.name = 'Edited by hand'
    await writeFile(file, JSON.stringify(edited, null, 2))
    await vi.waitFor(() => expect(store.get().config.upstream[0]!.name).toBe('Edited by hand'), { timeout: 1000, interval: 20 })
    expect(store.get().revision).toBe(2)
    expect(store.lastError).toBeNull()
  })

  it('keeps the last good config on a bad hand edit, reports it, and recovers on the next good one', async () => {
    const { file, log, store } = await goStore()
    store.watch()
    const bad = goConfig()
    bad.upstream[1]!.baseUrl = 'openrouter.ai'
    await writeFile(file, JSON.stringify(bad, null, 2))
    await vi.waitFor(() => expect(store.lastError).toContain('upstream[1].baseUrl: must be an http(s) URL'), { timeout: 1000, interval: 20 })
    expect(store.get().config.upstream[1]!.baseUrl).toBe('https://openrouter.ai/api/v1')
    expect(store.get().revision).toBe(1)
    expect(log.lines.some(l => l.level === 'error' && l.message.includes('upstream[1].baseUrl'))).toBe(true)

    const good = goConfig()
    good.loadBalance = 'random'
    await writeFile(file, JSON.stringify(good, null, 2))
    await vi.waitFor(() => expect(store.get().config.loadBalance).toBe('random'), { timeout: 1000, interval: 20 })
    expect(store.lastError).toBeNull()
  })

  it('does not reload its own saves', async () => {
    const { store } = await goStore()
    store.watch()
    const seen: number[] = []
    store.onChange(s => seen.push(s.revision))
    await store.mutate((c) => {
      c.loadBalance = 'random'
    })
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(seen).toEqual([2])
    expect(store.get().revision).toBe(2)
  })

  it('reload() reports whether the file changed', async () => {
    const { file, store } = await goStore()
    expect(await store.reload()).toBe(false)
    const edited = goConfig()
    edited.responsesLoadBalance = 'random'
    await writeFile(file, JSON.stringify(edited))
    expect(await store.reload()).toBe(true)
    expect(store.get().config.responsesLoadBalance).toBe('random')
  })

  it('writes generated ids back when a hand edit adds a channel without one', async () => {
    const { file, store } = await goStore()
    const edited = goConfig()
    edited.upstream.push({ baseUrl: 'https://x.example', apiKeys: ['kkkkkkkkkkkk'], serviceType: 'claude', name: 'Hand added' } as never)
    await writeFile(file, JSON.stringify(edited))
    await store.reload()
    const id = store.get().config.upstream[3]!.id
    expect(id).toMatch(/^[0-9a-f]{8}$/)
    expect(JSON.parse(await readFile(file, 'utf8')).upstream[3].id).toBe(id)
    expect(store.get().revision).toBe(2)
  })

  it('keeps the config when the file disappears', async () => {
    const { dir, store } = await goStore()
    await unlink(join(dir, 'config.json'))
    await expect(store.reload()).rejects.toThrow('is missing')
    expect(store.get().config.upstream).toHaveLength(3)
    expect(store.lastError).toContain('is missing')
  })
})

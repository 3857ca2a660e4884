import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigFileError } from '#server/utils/config/errors'
import { parseConfigText } from '#server/utils/config/load'
import { createConfigStore } from '#server/utils/config/store'
import { goConfig, memoryLog, tempDir, writeConfigJson } from './fixtures'

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'))
}

describe('loading a config.json written by the Go cc-bridge', () => {
  it('loads it unchanged and does not rewrite the file', async () => {
    const dir = await tempDir()
    const file = await writeConfigJson(dir, goConfig())
    const before = await readFile(file, 'utf8')
    const store = createConfigStore({ dir, log: memoryLog() })
    await store.settled()
    expect(store.get().config).toEqual(goConfig())
    expect(store.get().revision).toBe(1)
    expect(await readFile(file, 'utf8')).toBe(before)
    expect(await readdir(dir)).toEqual(['config.json'])
  })

  it('keeps fields it does not model when it saves', async () => {
    const dir = await tempDir()
    const file = await writeConfigJson(dir, goConfig())
    const store = createConfigStore({ dir, log: memoryLog() })
    await store.mutate((config) => {
      config.upstream[1]!.apiKeys.push('sk-or-v1-new-key-000000')
    })
    const expected = goConfig()
    const keys: string[] = expected.upstream[1]!.apiKeys
    keys.push('sk-or-v1-new-key-000000')
    expect(await readJson(file)).toEqual(expected)
  })

  it('accepts the nulls and empty strings Go writes for unset lists and strategies', async () => {
    const { config } = parseConfigText(JSON.stringify({
      upstream: [{ id: 'aaaa0001', baseUrl: '', apiKeys: null, serviceType: 'composite', name: 'c', priority: 0, status: '' }],
      loadBalance: 'random',
      responsesUpstream: null,
      responsesLoadBalance: '',
      chatUpstream: null,
      chatLoadBalance: '',
      failover: { enabled: true, rules: null },
    }), 'config.json')
    expect(config.upstream[0]!.apiKeys).toEqual([])
    expect(config.responsesUpstream).toEqual([])
    expect(config.chatLoadBalance).toBe('failover')
    // The Go cc-bridge falls back to the messages strategy for an unset responses one.
    expect(config.responsesLoadBalance).toBe('random')
    expect(config.failover?.rules).toEqual([])
  })
})

describe('channel ids', () => {
  it('generates 8-hex ids unique across pools for channels without one, and persists them', async () => {
    const dir = await tempDir()
    const raw = goConfig()
    delete (raw.upstream[1] as { id?: string }).id
    delete (raw.responsesUpstream[0] as { id?: string }).id
    const file = await writeConfigJson(dir, raw)
    const store = createConfigStore({ dir, log: memoryLog() })
    await store.settled()
    const generated = [store.get().config.upstream[1]!.id, store.get().config.responsesUpstream[0]!.id]
    for (const id of generated) expect(id).toMatch(/^[0-9a-f]{8}$/)
    const all = [...store.get().config.upstream, ...store.get().config.responsesUpstream].map(c => c.id)
    expect(new Set(all).size).toBe(all.length)
    const saved = await readJson(file) as ReturnType<typeof goConfig>
    expect([saved.upstream[1]!.id, saved.responsesUpstream[0]!.id]).toEqual(generated)
    // The Go-written original is kept as a backup before the rewrite.
    expect(await readdir(join(dir, 'backups'))).toHaveLength(1)

    const again = createConfigStore({ dir, log: memoryLog() })
    expect(again.get().config.upstream[1]!.id).toBe(generated[0])
  })

  it('refuses two channels sharing an id, naming both places', () => {
    const raw = goConfig()
    raw.responsesUpstream[0]!.id = '3f9a1c2e'
    expect(() => parseConfigText(JSON.stringify(raw), 'config.json'))
      .toThrow('responsesUpstream[0].id: duplicate channel id "3f9a1c2e" (also upstream[0].id)')
  })
})

describe('legacy currentUpstream', () => {
  it('makes the current channel active and the others disabled when no channel has a status, then drops the field', async () => {
    const dir = await tempDir()
    const file = await writeConfigJson(dir, {
      upstream: [
        { id: 'aaaa0001', baseUrl: 'https://a.example', apiKeys: ['k1'], serviceType: 'claude', name: 'a' },
        { id: 'aaaa0002', baseUrl: 'https://b.example', apiKeys: ['k2'], serviceType: 'claude', name: 'b' },
      ],
      currentUpstream: 1,
      loadBalance: 'failover',
      responsesUpstream: [{ id: 'aaaa0003', baseUrl: 'https://c.example', apiKeys: ['k3'], serviceType: 'responses', name: 'c', status: 'suspended' }],
      currentResponsesUpstream: 0,
    })
    const store = createConfigStore({ dir, log: memoryLog() })
    await store.settled()
    expect(store.get().config.upstream.map(c => c.status)).toEqual(['disabled', 'active'])
    // A pool that already has statuses is left alone.
    expect(store.get().config.responsesUpstream[0]!.status).toBe('suspended')
    const saved = await readJson(file) as Record<string, unknown>
    expect(saved).not.toHaveProperty('currentUpstream')
    expect(saved).not.toHaveProperty('currentResponsesUpstream')
  })
})

describe('a bad config.json', () => {
  it('stops start-up with a message naming the field', async () => {
    const dir = await tempDir()
    const raw = goConfig()
    raw.upstream[0]!.baseUrl = 'ftp://files.example.com'
    await writeConfigJson(dir, raw)
    expect(() => createConfigStore({ dir, log: memoryLog() })).toThrow(ConfigFileError)
    expect(() => createConfigStore({ dir, log: memoryLog() })).toThrow('upstream[0].baseUrl: must be an http(s) URL')
  })

  it('names a wrong enum value and a wrong type', () => {
    const raw = goConfig() as unknown as { upstream: Record<string, unknown>[], responsesLoadBalance: string }
    raw.upstream[1]!.serviceType = 'anthropic'
    raw.upstream[0]!.priority = 'high'
    raw.responsesLoadBalance = 'fastest'
    let message = ''
    try {
      parseConfigText(JSON.stringify(raw), '/cfg/config.json')
    }
    catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^\/cfg\/config\.json: /)
    expect(message).toContain('upstream[0].priority: ')
    expect(message).toContain('upstream[1].serviceType: ')
    expect(message).toContain('responsesLoadBalance: ')
  })

  it('reports invalid JSON with the file name', () => {
    expect(() => parseConfigText('{"upstream": [', '/cfg/config.json')).toThrow(/^\/cfg\/config\.json is not valid JSON/)
  })

  it('says where the JSON breaks but never quotes the text, which may hold an upstream key', () => {
    const broken = '{\n  "upstream": [{"name": "a", "apiKeys": ["sk-ant-api03-secret-0001" "sk-ant-api03-secret-0002"]}]\n}'
    expect(() => parseConfigText(broken, 'config.json')).toThrow(/^config\.json is not valid JSON \(line 2, column \d+\)$/)
    const unquoted = '{"upstream": [{"apiKeys": [sk-ant-api03-secret-0003]}]}'
    expect(() => parseConfigText(unquoted, 'config.json')).toThrow(/^config\.json is not valid JSON$/)
  })

  it('creates a default file with empty pools when none exists', async () => {
    const dir = await tempDir()
    const store = createConfigStore({ dir, log: memoryLog() })
    await store.settled()
    const saved = await readJson(join(dir, 'config.json')) as Record<string, unknown>
    expect(saved).toMatchObject({ upstream: [], loadBalance: 'failover', responsesUpstream: [], responsesLoadBalance: 'failover' })
    expect(saved.outboundHeaderPolicy).toEqual({ enabled: true, stripRules: ['Cf-*', 'X-Forwarded-*'], initialized: true })
    expect(store.get().config.upstream).toEqual([])
  })
})

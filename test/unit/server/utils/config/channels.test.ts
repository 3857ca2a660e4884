import { describe, expect, it } from 'vitest'
import { ChannelCreateSchema, ChannelUpdateSchema, ConfigSchema } from '#shared/schemas/config'
import type { Config } from '#shared/schemas/config'
import { listChannels } from '#server/utils/admin/channel-view'
import {
  addChannel,
  addKey,
  deleteChannel,
  deleteKey,
  findChannelIndex,
  moveKey,
  reorderChannels,
  setLoadBalance,
  updateChannel,
} from '#server/utils/config/channels'
import { goConfig } from './fixtures'

function config(): Config {
  return ConfigSchema.parse(goConfig())
}

function refusal(fn: () => unknown): { status: number, message: string } {
  try {
    fn()
  }
  catch (err) {
    return { status: (err as { status: number }).status, message: (err as Error).message }
  }
  throw new Error('expected a refusal')
}

describe('the channel list', () => {
  it('shows masked keys and never the keys or OAuth tokens themselves', () => {
    const list = listChannels(config(), 'messages')
    expect(list.loadBalance).toBe('failover')
    expect(list.channels[0]).toMatchObject({
      index: 0,
      id: '3f9a1c2e',
      name: 'Anthropic direct',
      apiKeyCount: 2,
      maskedKeys: [{ index: 0, masked: 'sk-ant-a***-1111' }, { index: 1, masked: 'sk-ant-a***-2222' }],
      latency: null,
      quotaType: 'credit',
      contentFilter: { enabled: true, rules: [{ keyword: 'quota exceeded', statusCode: 429 }] },
    })
    expect(list.channels[1]).toMatchObject({ description: '', modelMapping: {}, keyLoadBalance: '', responseHeaderTimeout: 0 })
    const responses = JSON.stringify(listChannels(config(), 'responses'))
    const messages = JSON.stringify(list)
    for (const secret of ['sk-ant-api03-aaaaaaaaaaaaaaaaaaaa-1111', 'sk-or-v1-cccccccccccccccccccccccc', 'apiKeys']) expect(messages).not.toContain(secret)
    for (const secret of ['rt-secret', 'eyJhbGciOi.access', 'oauthTokens']) expect(responses).not.toContain(secret)
  })
})

describe('channel lookup', () => {
  it('takes an array index or a stable id, and 404s on anything else', () => {
    const channels = config().upstream
    expect(findChannelIndex(channels, '2')).toBe(2)
    expect(findChannelIndex(channels, 'b07d44e1')).toBe(1)
    expect(refusal(() => findChannelIndex(channels, '3'))).toEqual({ status: 404, message: 'Channel not found' })
    expect(refusal(() => findChannelIndex(channels, 'ffffffff')).status).toBe(404)
  })
})

describe('adding and updating channels', () => {
  const body = (extra: object) => ChannelCreateSchema.parse({ serviceType: 'claude', baseUrl: 'https://x.example', apiKeys: ['k-123456789012'], ...extra })

  it('adds an active channel with a fresh id unique across pools', () => {
    const c = config()
    const ref = addChannel(c, 'messages', body({ name: 'New one' }))
    expect(ref).toMatchObject({ index: 3, name: 'New one' })
    expect(ref.id).toMatch(/^[0-9a-f]{8}$/)
    expect(c.upstream[3]).toMatchObject({ id: ref.id, status: 'active' })
  })

  it('refuses a name already used in the pool, ignoring case and spaces', () => {
    const c = config()
    expect(refusal(() => addChannel(c, 'messages', body({ name: '  openrouter ' }))))
      .toEqual({ status: 400, message: 'A channel named "openrouter" already exists' })
    // The same name in another pool is fine.
    expect(addChannel(c, 'responses', body({ name: 'OpenRouter' })).index).toBe(1)
    expect(refusal(() => updateChannel(c, 'messages', '0', ChannelUpdateSchema.parse({ name: 'ROUTER' }))).status).toBe(400)
  })

  it('refuses an id used in any pool', () => {
    expect(refusal(() => addChannel(config(), 'messages', body({ name: 'x', id: 'd00dfeed' }))))
      .toEqual({ status: 400, message: 'Channel ID already exists' })
  })

  it('copies baseUrl and keys from a responses channel only for a messages-pool responses channel', () => {
    const c = config()
    c.responsesUpstream[0]!.apiKeys = ['sk-resp-000000000001']
    const ref = addChannel(c, 'messages', ChannelCreateSchema.parse({ name: 'bridge', serviceType: 'responses', importFromResponsesChannelId: 'd00dfeed' }))
    expect(c.upstream[ref.index]).toMatchObject({ baseUrl: 'https://chatgpt.com/backend-api/codex', apiKeys: ['sk-resp-000000000001'] })
    expect(c.upstream[ref.index]).not.toHaveProperty('importFromResponsesChannelId')
    expect(refusal(() => addChannel(c, 'messages', body({ name: 'y', importFromResponsesChannelId: 'd00dfeed' }))).status).toBe(400)
  })

  it('updates only the given fields, replaces maps whole, and ignores view-only fields and id', () => {
    const c = config()
    updateChannel(c, 'messages', '3f9a1c2e', ChannelUpdateSchema.parse({
      modelMapping: { opus: 'claude-opus-4-1' },
      id: 'changed1',
      apiKeyCount: 9,
      maskedKeys: [],
    }))
    const channel = c.upstream[0]!
    expect(channel.modelMapping).toEqual({ opus: 'claude-opus-4-1' })
    expect(channel).toMatchObject({ id: '3f9a1c2e', baseUrl: 'https://api.anthropic.com', quotaType: 'credit' })
    expect(channel.apiKeys).toHaveLength(2)
    expect(channel).not.toHaveProperty('apiKeyCount')
    expect(channel).not.toHaveProperty('maskedKeys')
  })

  it('un-suspends a channel whose only key is replaced by a different one', () => {
    const c = config()
    updateChannel(c, 'messages', '1', ChannelUpdateSchema.parse({ apiKeys: ['sk-or-v1-replacement-000'] }))
    expect(c.upstream[1]!.status).toBe('active')
    const d = config()
    updateChannel(d, 'messages', '1', ChannelUpdateSchema.parse({ description: 'x' }))
    expect(d.upstream[1]!.status).toBe('suspended')
  })
})

describe('deleting channels', () => {
  it('removes the channel and prunes composite references to it', () => {
    const c = config()
    expect(deleteChannel(c, 'messages', 'b07d44e1')).toMatchObject({ id: 'b07d44e1', index: 1 })
    const mappings = c.upstream.find(ch => ch.id === 'c0ffee01')!.compositeMappings as Record<string, unknown>[]
    // The haiku mapping targeted the deleted channel; sonnet only had it as a failover.
    expect(mappings.map(m => m.pattern)).toEqual(['sonnet', 'opus'])
    expect(mappings[0]).toMatchObject({ failoverChain: [], failoverTargets: [] })
  })
})

describe('keys', () => {
  it('refuses a duplicate key without echoing it', () => {
    const c = config()
    expect(refusal(() => addKey(c, 'messages', '0', 'sk-ant-api03-aaaaaaaaaaaaaaaaaaaa-1111')))
      .toEqual({ status: 400, message: 'API key already exists' })
    addKey(c, 'messages', '0', 'sk-ant-api03-new-0000000000')
    expect(c.upstream[0]!.apiKeys).toHaveLength(3)
  })

  it('deletes a key by index and 404s on an index out of range', () => {
    const c = config()
    deleteKey(c, 'messages', '0', 0)
    expect(c.upstream[0]!.apiKeys).toEqual(['sk-ant-api03-bbbbbbbbbbbbbbbbbbbb-2222'])
    expect(refusal(() => deleteKey(c, 'messages', '0', 1))).toEqual({ status: 404, message: 'API key not found' })
  })

  it('moves a key to the top or the bottom', () => {
    const c = config()
    c.upstream[0]!.apiKeys = ['a', 'b', 'c']
    moveKey(c, 'messages', '0', 2, 'top')
    expect(c.upstream[0]!.apiKeys).toEqual(['c', 'a', 'b'])
    moveKey(c, 'messages', '0', 0, 'bottom')
    expect(c.upstream[0]!.apiKeys).toEqual(['a', 'b', 'c'])
  })
})

describe('reorder', () => {
  it('sets priority to position + 1 for the listed channels, by index or id', () => {
    const c = config()
    reorderChannels(c, 'messages', [2, '3f9a1c2e'])
    expect(c.upstream.map(ch => ch.priority)).toEqual([2, 2, 1])
  })

  it('refuses unknown and repeated entries', () => {
    expect(refusal(() => reorderChannels(config(), 'messages', [0, 3]))).toEqual({ status: 400, message: 'Invalid channel in order: 3' })
    expect(refusal(() => reorderChannels(config(), 'messages', [1, 'b07d44e1'])).message).toBe('Channel 1 is listed more than once')
  })
})

describe('load balance', () => {
  it('sets the strategy of the named pool only', () => {
    const c = config()
    setLoadBalance(c, 'responses', 'random')
    expect([c.loadBalance, c.responsesLoadBalance]).toEqual(['failover', 'random'])
  })
})

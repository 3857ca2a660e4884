import { describe, expect, it } from 'vitest'
import { joinUpstreamUrl, withoutCredentialParams } from '#server/utils/upstream/url'

describe('joinUpstreamUrl', () => {
  it('inserts /v1 after a bare host', () => {
    expect(joinUpstreamUrl('https://api.anthropic.com', 'messages')).toBe('https://api.anthropic.com/v1/messages')
    expect(joinUpstreamUrl('https://api.anthropic.com/', '/messages')).toBe('https://api.anthropic.com/v1/messages')
  })
  it('keeps a version segment the base already ends in', () => {
    expect(joinUpstreamUrl('https://open.bigmodel.cn/api/paas/v4', 'chat/completions')).toBe('https://open.bigmodel.cn/api/paas/v4/chat/completions')
    expect(joinUpstreamUrl('https://generativelanguage.googleapis.com/v1beta/', 'models')).toBe('https://generativelanguage.googleapis.com/v1beta/models')
    expect(joinUpstreamUrl('https://x.test/api/anthropic/v1', 'messages')).toBe('https://x.test/api/anthropic/v1/messages')
  })
  it('inserts /v1 after a path that only looks versioned', () => {
    expect(joinUpstreamUrl('https://x.test/v1/proxy', 'messages')).toBe('https://x.test/v1/proxy/v1/messages')
  })
  it('keeps the inbound query string', () => {
    expect(joinUpstreamUrl('http://127.0.0.1:9', 'messages', '?beta=true')).toBe('http://127.0.0.1:9/v1/messages?beta=true')
  })
})

describe('withoutCredentialParams', () => {
  it.each([
    ['', ''],
    ['?', ''],
    ['?beta=true', '?beta=true'],
    ['?beta=true&key=secret', '?beta=true'],
    ['?key=secret&beta=true&x=%20y', '?beta=true&x=%20y'],
    ['?KEY=secret', ''],
    ['?%6Bey=secret&a', '?a'],
    ['?key', ''],
    ['?keys=1&apikey=2', '?keys=1&apikey=2'],
  ])('%j → %j', (search, kept) => {
    expect(withoutCredentialParams(search)).toBe(kept)
  })
})

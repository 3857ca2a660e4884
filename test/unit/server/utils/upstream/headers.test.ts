import { describe, expect, it } from 'vitest'
import { buildClientHeaders, buildUpstreamHeaders, capRetryAfter } from '#server/utils/upstream/headers'

describe('buildUpstreamHeaders', () => {
  const client = {
    'host': 'proxy.local', 'connection': 'keep-alive', 'content-length': '10', 'accept-encoding': 'gzip',
    'x-api-key': 'client-key', 'authorization': 'Bearer client-key', 'x-goog-api-key': 'client-key',
    'anthropic-version': '2023-06-01', 'anthropic-beta': 'a,b', 'x-stainless-os': 'Linux', 'user-agent': 'claude-cli/2.1.197',
    'x-forwarded-for': '1.2.3.4', 'cf-connecting-ip': '1.2.3.4',
  }
  it('forwards the client headers minus hop-by-hop, credentials and network-revealing ones', () => {
    const out = buildUpstreamHeaders(client, 'sk-ant-api03-xyz')
    expect(out).toEqual({
      'anthropic-version': '2023-06-01', 'anthropic-beta': 'a,b', 'x-stainless-os': 'Linux',
      'user-agent': 'claude-cli/2.1.197', 'x-api-key': 'sk-ant-api03-xyz',
    })
  })
  it('never forwards a header undici refuses (curl sends expect: 100-continue by itself over 1 MB)', () => {
    const refused = { 'expect': '100-continue', 'transfer-encoding': 'chunked', 'keep-alive': 'timeout=5', 'upgrade': 'h2c', 'connection': 'Upgrade, HTTP2-Settings' }
    const out = buildUpstreamHeaders({ ...refused, 'anthropic-version': '2023-06-01' }, 'sk-ant-api03-xyz')
    expect(out).toEqual({ 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-api03-xyz' })
  })
  it('sends non-Anthropic keys as a Bearer token', () => {
    const out = buildUpstreamHeaders(client, 'glm-key-123')
    expect(out.authorization).toBe('Bearer glm-key-123')
    expect(out['x-api-key']).toBeUndefined()
  })
})

describe('capRetryAfter', () => {
  it('caps seconds at 60 and rounds up', () => {
    expect(capRetryAfter('3600')).toBe('60')
    expect(capRetryAfter('60')).toBe('60')
    expect(capRetryAfter('1.2')).toBe('2')
    expect(capRetryAfter('0')).toBe('0')
  })
  it('converts an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(capRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe('30')
    expect(capRetryAfter('Thu, 01 Jan 2026 05:00:00 GMT', now)).toBe('60')
    expect(capRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe('0')
  })
  it('reads the first of repeated values, and sends the cap for an unreadable one', () => {
    expect(capRetryAfter(['5', '9'])).toBe('5')
    expect(capRetryAfter('soon')).toBe('60')
    expect(capRetryAfter('-5')).toBe('60')
  })
})

describe('buildClientHeaders', () => {
  it('drops hop-by-hop and encoding headers, keeps length only for untouched bodies', () => {
    const up = { 'content-type': 'application/json', 'content-length': '42', 'transfer-encoding': 'chunked', 'content-encoding': 'gzip', 'request-id': 'r', 'retry-after': '120' }
    expect(buildClientHeaders(up, true)).toEqual({ 'content-type': 'application/json', 'content-length': '42', 'request-id': 'r', 'retry-after': '60' })
    expect(buildClientHeaders(up, false)['content-length']).toBeUndefined()
  })
})

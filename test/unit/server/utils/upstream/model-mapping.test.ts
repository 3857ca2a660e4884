import { describe, expect, it } from 'vitest'
import { mapModel } from '#server/utils/upstream/model-mapping'

describe('mapModel', () => {
  const mapping = {
    'claude-sonnet-4-5': 'exact-target',
    'sonnet': 'glm-4.6',
    'claude-opus': 'kimi-k2',
    'opus': 'deepseek-v3',
  }
  it('leaves the model alone without a mapping', () => {
    expect(mapModel('claude-sonnet-4-5', undefined)).toBe('claude-sonnet-4-5')
    expect(mapModel(' claude-x ', {})).toBe('claude-x')
  })
  it('prefers an exact key', () => {
    expect(mapModel('claude-sonnet-4-5', mapping)).toBe('exact-target')
  })
  it('takes the longest key the model contains', () => {
    expect(mapModel('claude-sonnet-4-6', mapping)).toBe('glm-4.6')
    expect(mapModel('claude-opus-4-5-20251101', mapping)).toBe('kimi-k2')
    expect(mapModel('anthropic/opus-next', mapping)).toBe('deepseek-v3')
  })
  it('does not match keys that merely contain a short model name', () => {
    expect(mapModel('o', mapping)).toBe('o')
    expect(mapModel('son', mapping)).toBe('son')
  })
  it('matches case-insensitively and keeps a thinking suffix', () => {
    expect(mapModel('Claude-Opus-4(high)', mapping)).toBe('kimi-k2(high)')
    expect(mapModel('claude-sonnet-4-5(low)', mapping)).toBe('exact-target(low)')
    expect(mapModel('claude-sonnet-4-5(low)', { 'claude-sonnet-4-5': 'gpt-5(xhigh)' })).toBe('gpt-5(xhigh)')
  })
})

import { describe, expect, it } from 'vitest'
import { longestPrefix, prefixMatcher } from '#server/utils/pricing/match'

describe('longestPrefix', () => {
  it('takes the longest key that starts the model, whatever the keys\' order (the Go cc-bridge took map order)', () => {
    const keys = ['gpt-5', 'gpt-5.1', 'gpt-5.1-codex']
    for (const order of [keys, [...keys].reverse(), [keys[1]!, keys[2]!, keys[0]!]]) {
      expect(longestPrefix(order, 'gpt-5.1-codex-max')).toBe('gpt-5.1-codex')
      expect(longestPrefix(order, 'gpt-5.1-2025-11-13')).toBe('gpt-5.1')
      expect(longestPrefix(order, 'gpt-5-mini')).toBe('gpt-5')
    }
  })

  it('prefers an exact name, the longest prefix there is', () => {
    expect(longestPrefix(['claude-opus-4', 'claude-opus-4-1'], 'claude-opus-4-1')).toBe('claude-opus-4-1')
  })

  it('ignores case, and hands back the key as written', () => {
    expect(longestPrefix(['gpt-5.1-codex', 'GPT-5'], 'GPT-5.1-Codex-Max')).toBe('gpt-5.1-codex')
    expect(longestPrefix(['DeepSeek-Chat'], 'deepseek-chat')).toBe('DeepSeek-Chat')
  })

  it('breaks a tie between keys that differ only in case: same case as the model, else code-point order', () => {
    const m = prefixMatcher(['gpt-5', 'GPT-5'])
    expect(m.match('gpt-5-mini')).toBe('gpt-5')
    expect(m.match('GPT-5-mini')).toBe('GPT-5')
    expect(m.match('Gpt-5-mini')).toBe('GPT-5')
  })

  it('finds nothing for a model no key starts, nor for a key longer than the model', () => {
    expect(longestPrefix(['claude-sonnet-4-5'], 'claude-sonnet-4')).toBeUndefined()
    expect(longestPrefix(['gpt-5'], 'o3')).toBeUndefined()
    expect(longestPrefix([], 'gpt-5')).toBeUndefined()
  })
})

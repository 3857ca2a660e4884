import { describe, expect, it } from 'vitest'
import { KEY_COOLDOWN_MS, KEY_LONG_COOLDOWN_MS, KeyState } from '#server/utils/scheduler/keys'
import { channel, MIN, seeded, T0 } from './helpers'

const a = channel('a', { apiKeys: ['k1', 'k2', 'k3'] })
const none = new Set<string>()
const pickKey = (keys: KeyState, strategy: 'failover' | 'round-robin' | 'random', now = T0, tried = none) =>
  keys.pick(a, strategy, tried, now, seeded(3))?.key

describe('key selection', () => {
  it('failover takes the first key that is not cooling', () => {
    const keys = new KeyState()
    keys.markFailed('a', 'k1', T0)
    expect(pickKey(keys, 'failover')).toBe('k2')
  })

  it('round-robin walks the keys in turn', () => {
    const keys = new KeyState()
    expect([1, 2, 3, 4].map(() => pickKey(keys, 'round-robin'))).toEqual(['k1', 'k2', 'k3', 'k1'])
  })

  it('random draws from the injected random source over all ready keys', () => {
    const keys = new KeyState()
    const seen = new Set(Array.from({ length: 30 }, (_, i) => keys.pick(a, 'random', none, T0, seeded(i))?.key))
    expect(seen).toEqual(new Set(['k1', 'k2', 'k3']))
  })

  it('skips keys already tried in this request and returns null when none are left', () => {
    const keys = new KeyState()
    expect(pickKey(keys, 'failover', T0, new Set(['k1', 'k2']))).toBe('k3')
    expect(pickKey(keys, 'failover', T0, new Set(['k1', 'k2', 'k3']))).toBeUndefined()
  })

  it('a cooldown lasts 5 minutes, and 10 once a key failed more than 3 times', () => {
    const keys = new KeyState()
    keys.markFailed('a', 'k1', T0)
    expect(pickKey(keys, 'failover', T0 + KEY_COOLDOWN_MS - 1)).toBe('k2')
    expect(pickKey(keys, 'failover', T0 + KEY_COOLDOWN_MS)).toBe('k1')
    for (let i = 0; i < 4; i++) keys.markFailed('a', 'k1', T0 + i * MIN)
    const last = T0 + 3 * MIN
    expect(pickKey(keys, 'failover', last + KEY_COOLDOWN_MS)).toBe('k2')
    expect(pickKey(keys, 'failover', last + KEY_LONG_COOLDOWN_MS)).toBe('k1')
  })

  it('when every key cools, uses the one that failed longest ago', () => {
    const keys = new KeyState()
    keys.markFailed('a', 'k2', T0)
    keys.markFailed('a', 'k3', T0 + MIN)
    keys.markFailed('a', 'k1', T0 + 2 * MIN)
    expect(pickKey(keys, 'failover', T0 + 3 * MIN)).toBe('k2')
    expect(pickKey(keys, 'failover', T0 + 3 * MIN, new Set(['k2']))).toBe('k3')
  })

  it('cooldowns are per channel: the same key string in another channel is unaffected', () => {
    const keys = new KeyState()
    const b = channel('b', { apiKeys: ['k1'] })
    keys.markFailed('a', 'k1', T0)
    expect(keys.hasReadyKey(b, T0)).toBe(true)
    expect(keys.pick(b, 'failover', none, T0, Math.random)?.key).toBe('k1')
  })

  it('exhausted keys are never picked, not even as a last resort', () => {
    const keys = new KeyState()
    keys.markExhausted('a', 'k1', 'http_402', T0)
    keys.markFailed('a', 'k2', T0)
    keys.markFailed('a', 'k3', T0)
    expect(pickKey(keys, 'failover', T0 + MIN, new Set(['k2', 'k3']))).toBeUndefined()
    expect(keys.hasUsableKey(channel('x', { apiKeys: [] }))).toBe(false)
  })
})

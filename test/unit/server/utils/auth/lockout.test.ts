import { describe, expect, it } from 'vitest'
import { AuthLockout } from '#server/utils/auth/lockout'

function lockout(maxEntries?: number) {
  let now = 1_000_000
  const l = new AuthLockout({ failuresBeforeLockout: 3, lockoutMs: 60_000, now: () => now, maxEntries })
  return { l, advance: (ms: number) => (now += ms) }
}

describe('AuthLockout', () => {
  it('locks an address out on its third failure, once, for the lockout time', () => {
    const { l, advance } = lockout()
    expect(l.fail('a')).toEqual({ lockedNow: false })
    expect(l.fail('a')).toEqual({ lockedNow: false })
    expect(l.lockedFor('a')).toBe(0)
    expect(l.fail('a')).toEqual({ lockedNow: true })
    expect(l.fail('a')).toEqual({ lockedNow: false })
    expect(l.lockedFor('a')).toBe(60)
    expect(l.lockedFor('b')).toBe(0)
    advance(59_500)
    expect(l.lockedFor('a')).toBe(1)
    advance(500)
    expect(l.lockedFor('a')).toBe(0)
    expect(l.fail('a')).toEqual({ lockedNow: false })
  })

  it('forgets failures spaced further apart than the lockout time', () => {
    const { l, advance } = lockout()
    for (let i = 0; i < 5; i++) {
      expect(l.fail('a').lockedNow).toBe(false)
      advance(60_000)
    }
  })

  it('clears the count on success', () => {
    const { l } = lockout()
    l.fail('a')
    l.fail('a')
    l.succeed('a')
    expect(l.fail('a').lockedNow).toBe(false)
    expect(l.fail('a').lockedNow).toBe(false)
    expect(l.fail('a').lockedNow).toBe(true)
  })

  it('keeps at most maxEntries addresses, dropping the stalest', () => {
    const { l } = lockout(100)
    l.fail('first')
    l.fail('first')
    for (let i = 0; i < 1000; i++) l.fail(`10.0.${i >> 8}.${i & 255}`)
    expect(l.size).toBe(100)
    // Its two failures were forgotten with its entry.
    expect(l.fail('first').lockedNow).toBe(false)
  })
})

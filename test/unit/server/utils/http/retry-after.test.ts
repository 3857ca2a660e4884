import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '#server/utils/http/retry-after'

const now = Date.parse('2026-01-01T00:00:00Z')

describe('parseRetryAfter', () => {
  it('reads delta-seconds, decimals included', () => {
    expect(parseRetryAfter('120', now)).toBe(120)
    expect(parseRetryAfter(' 7 ', now)).toBe(7)
    expect(parseRetryAfter('0', now)).toBe(0)
    expect(parseRetryAfter('1.5', now)).toBe(1.5)
  })
  it('reads all three HTTP-date forms as GMT, relative to now', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('Thursday, 01-Jan-26 00:01:00 GMT', now)).toBe(60)
    expect(parseRetryAfter('Thu Jan  1 00:00:45 2026', now)).toBe(45)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now + 10_500)).toBe(19.5)
  })
  it('reads a date already past as 0', () => {
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0)
  })
  it('reads the first value of a repeated header', () => {
    expect(parseRetryAfter(['5', '9'], now)).toBe(5)
    expect(parseRetryAfter(['Thu, 01 Jan 2026 00:00:10 GMT'], now)).toBe(10)
    expect(parseRetryAfter([], now)).toBeUndefined()
  })
  it('gives undefined for absent, negative and unreadable values', () => {
    for (const value of [undefined, '', '  ', '-5', '-0.5', '1e3', '0x10', 'soon', '2026-01-01', 'Thu, 99 Jan 2026 00:00:00 GMT', 'NaN', 'Infinity']) {
      expect(parseRetryAfter(value, now), String(value)).toBeUndefined()
    }
  })
})

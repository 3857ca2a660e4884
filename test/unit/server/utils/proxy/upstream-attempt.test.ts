import { describe, expect, it } from 'vitest'
import { headersTimeoutMs } from '#server/utils/proxy/upstream-attempt'

describe('headersTimeoutMs', () => {
  it('gives streams the channel\'s header timeout, 120 s by default', () => {
    expect(headersTimeoutMs(undefined, true, 300_000)).toBe(120_000)
    expect(headersTimeoutMs(30, true, 300_000)).toBe(30_000)
  })
  it('gives non-streaming calls the whole REQUEST_TIMEOUT unless the channel sets its own', () => {
    expect(headersTimeoutMs(undefined, false, 300_000)).toBe(300_000)
    expect(headersTimeoutMs(0, false, 300_000)).toBe(300_000)
    expect(headersTimeoutMs(30, false, 300_000)).toBe(30_000)
    expect(headersTimeoutMs(600, false, 300_000)).toBe(300_000)
  })
})

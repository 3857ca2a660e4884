import { describe, expect, it } from 'vitest'
import { headersTimeoutMs } from '#server/utils/proxy/upstream-attempt'

describe('headersTimeoutMs', () => {
  it('waits what is left of the request\'s budget unless the channel sets a shorter time', () => {
    expect(headersTimeoutMs(undefined, 120_000)).toBe(120_000)
    expect(headersTimeoutMs(0, 300_000)).toBe(300_000)
    expect(headersTimeoutMs(30, 300_000)).toBe(30_000)
    expect(headersTimeoutMs(600, 300_000)).toBe(300_000)
  })
  it('never disables the timeout when the budget is (nearly) spent', () => {
    expect(headersTimeoutMs(undefined, 0.4)).toBe(1)
    expect(headersTimeoutMs(30, -5)).toBe(1)
  })
})

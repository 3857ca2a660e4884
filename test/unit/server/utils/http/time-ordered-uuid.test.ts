import { describe, expect, it } from 'vitest'
import { timeOrderedUuid } from '#server/utils/http/time-ordered-uuid'

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID whose first 48 bits are the time in ms', () => {
    const at = Date.UTC(2026, 11, 1, 19, 30)
    const id = timeOrderedUuid(at)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at)
  })

  it('sorts ids made in later milliseconds after earlier ones, and never repeats', () => {
    const start = Date.now()
    const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedUuid(start + Math.floor(i / 10)))
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
  })
})

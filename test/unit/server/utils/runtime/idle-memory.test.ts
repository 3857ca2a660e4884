import { describe, expect, it } from 'vitest'
import { createIdleCollector, memoryFigures, startIdleMemoryRelease } from '#server/utils/runtime/idle-memory'

const MB = 1024 * 1024

describe('createIdleCollector', () => {
  const options = { idleUtilization: 0.02, idleWindows: 2, minGrowthBytes: 32 * MB }

  it('collects only after enough idle windows in a row, and only when the heap has grown enough', () => {
    const c = createIdleCollector(options, 30 * MB)
    // Busy: a burst of streams, whatever the heap does.
    expect(c.tick(0.9, 120 * MB)).toBe(false)
    expect(c.tick(0.5, 120 * MB)).toBe(false)
    // Quiet for one window: not yet; a busy window starts the count again.
    expect(c.tick(0.01, 120 * MB)).toBe(false)
    expect(c.tick(0.3, 120 * MB)).toBe(false)
    expect(c.tick(0.01, 120 * MB)).toBe(false)
    expect(c.tick(0.01, 120 * MB)).toBe(true)
    c.collected(28 * MB)
    // Idle with the heap back down: nothing to do, however long it stays idle.
    for (let i = 0; i < 10; i++) expect(c.tick(0, 29 * MB)).toBe(false)
  })

  it('leaves a small growth alone, and counts growth from the smallest heap V8 itself left', () => {
    const c = createIdleCollector(options, 30 * MB)
    expect(c.tick(0.01, 50 * MB)).toBe(false)
    expect(c.tick(0.01, 50 * MB)).toBe(false)
    // A collection of V8's own brought the heap to 20 MB: 50 MB later is 30 MB of growth, not enough.
    expect(c.tick(0.5, 20 * MB)).toBe(false)
    expect(c.tick(0.01, 50 * MB)).toBe(false)
    expect(c.tick(0.01, 50 * MB)).toBe(false)
    expect(c.tick(0.01, 53 * MB)).toBe(true)
  })
})

describe('startIdleMemoryRelease', () => {
  it('collects the garbage a burst left once the event loop goes quiet', async () => {
    const counted = memoryFigures().idleCollections
    const collections: [number, number][] = []
    const stop = startIdleMemoryRelease({ checkEveryMs: 100, idleWindows: 2, minGrowthBytes: 16 * MB, onCollect: (before, after) => collections.push([before, after]) })
    try {
      // A burst: objects that live long enough to reach the old generation, then are dropped.
      let burst: { id: number, text: string }[][] | undefined = []
      for (let i = 0; i < 60; i++) burst.push(Array.from({ length: 10_000 }, (_, j) => ({ id: j, text: `row ${i}-${j}` })))
      burst = undefined
      const deadline = Date.now() + 5000
      while (!collections.length && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
      expect(collections).toHaveLength(1)
      const [before, after] = collections[0]!
      expect(before - after).toBeGreaterThan(16 * MB)
      // The health details count it, with when it ran.
      const figures = memoryFigures()
      expect(figures.idleCollections).toBe(counted + 1)
      expect(Date.now() - Date.parse(figures.lastIdleCollection!)).toBeLessThan(5000)
      expect(figures.heapUsedMb).toBeLessThan(figures.rssMb)
    }
    finally {
      stop()
    }
  })
})

import { performance } from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { MemoryFigures } from '#shared/schemas/admin'

/** V8's `gc()` with its options: `last-resort` is the collection V8 runs when memory runs short. */
type Collect = (options: { type: 'major', execution: 'sync', flavor: 'last-resort' }) => void

export interface IdleMemoryOptions {
  /** How often the event loop's use is sampled, in ms. Default 5000. */
  checkEveryMs?: number
  /** A window in which the event loop was busy less than this share of the time is idle. Default 0.02. */
  idleUtilization?: number
  /** Idle windows in a row before collecting. Default 2 (10 s). */
  idleWindows?: number
  /** Heap growth since the last collection worth collecting, in bytes. Default 32 MiB. */
  minGrowthBytes?: number
  /** Told the heap in use before and after each collection, in bytes. */
  onCollect?: (before: number, after: number) => void
}

/** The decision, window by window: collect once the process is idle and its heap has grown. */
export interface IdleCollector {
  /** One window's event-loop utilization (0–1) and the heap in use at its end; true: collect now. */
  tick(utilization: number, heapUsed: number): boolean
  /** The heap in use right after a collection: the new baseline. */
  collected(heapUsed: number): void
}

export function createIdleCollector(options: Pick<IdleMemoryOptions, 'idleUtilization' | 'idleWindows' | 'minGrowthBytes'>, heapUsed: number): IdleCollector {
  const idleUtilization = options.idleUtilization ?? 0.02
  const idleWindows = options.idleWindows ?? 2
  const minGrowth = options.minGrowthBytes ?? 32 * 1024 * 1024
  let baseline = heapUsed
  let idle = 0
  return {
    tick(utilization, used) {
      // V8's own collections lower the baseline too: growth counts from the smallest heap seen.
      baseline = Math.min(baseline, used)
      idle = utilization < idleUtilization ? idle + 1 : 0
      return idle >= idleWindows && used - baseline >= minGrowth
    },
    collected(used) {
      baseline = used
      idle = 0
    },
  }
}

const released = { count: 0, lastAt: undefined as number | undefined }

/** Bytes as MB, to one decimal. */
export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024 * 10) / 10

export function memoryFigures(): MemoryFigures {
  const m = process.memoryUsage()
  return {
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    idleCollections: released.count,
    ...(released.lastAt === undefined ? {} : { lastIdleCollection: new Date(released.lastAt).toISOString() }),
  }
}

/**
 * V8's `gc()`, which Node exposes only with `--expose-gc`: the flag is set for one new context
 * (as Jest does for `--logHeapUsage`) and cleared again, so no other code sees a global `gc`.
 */
function exposeGc(): Collect | undefined {
  const own = (globalThis as { gc?: Collect }).gc
  if (typeof own === 'function') return own
  setFlagsFromString('--expose-gc')
  try {
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? gc as Collect : undefined
  }
  finally {
    setFlagsFromString('--no-expose-gc')
  }
}

/**
 * Gives memory back once a burst is over. V8 collects its old generation when it grows past a
 * limit, not when the process goes quiet, so a proxy that served a burst of long streams and
 * then idled kept that burst's garbage, and the pages under it, resident for good: measured
 * with `npm run soak`, 1,000 streams took RSS from 160 MB to 250 MB, and after 30 idle seconds
 * 90 MB of the heap was garbage no collection had run for. When the event loop has been idle for
 * `idleWindows` windows and the heap has grown by `minGrowthBytes` since the last collection,
 * this runs one memory-reducing full collection, which also hands V8's freed pages back to the
 * system (RSS 250 → 158 MB there). It never runs while the proxy is busy, and costs nothing per
 * request: it only samples the event loop's use every few seconds.
 */
export function startIdleMemoryRelease(options: IdleMemoryOptions = {}): () => void {
  const collect = exposeGc()
  if (!collect) return () => {}
  const heapUsed = () => getHeapStatistics().used_heap_size
  const collector = createIdleCollector(options, heapUsed())
  let last = performance.eventLoopUtilization()
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization()
    const { utilization } = performance.eventLoopUtilization(now, last)
    last = now
    const before = heapUsed()
    if (!collector.tick(utilization, before)) return
    collect({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    const after = heapUsed()
    collector.collected(after)
    released.count++
    released.lastAt = Date.now()
    // The collection's own time must not make the next window look busy.
    last = performance.eventLoopUtilization()
    options.onCollect?.(before, after)
  }, options.checkEveryMs ?? 5000)
  // Never keeps the process alive by itself.
  timer.unref()
  return () => clearInterval(timer)
}

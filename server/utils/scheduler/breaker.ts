import type { BreakerState } from '#shared/schemas/admin'

/** How many recent outcomes decide a channel's health. */
export const WINDOW_SIZE = 10
/** Fewer samples than this never open the breaker, so one early failure cannot bench a channel. */
export const MIN_SAMPLES = 5
/** Failure share of the window at which the breaker opens. */
export const FAILURE_THRESHOLD = 0.5
/** How long an open breaker waits before letting a probe through. */
export const DEFAULT_RECOVERY_MS = 15 * 60_000

/**
 * One channel's circuit breaker. Closed lets everything through; open lets nothing through
 * normal selection; after the recovery time it is half-open and admits exactly one probe at a
 * time, whose verdict closes or re-opens it.
 */
export class CircuitBreaker {
  /** `true` marks a failure; oldest first. */
  private window: boolean[] = []
  private probeSince: number | null = null
  /** When the breaker last opened (epoch ms), or null while closed. */
  openedAt: number | null = null

  constructor(private readonly recoveryMs: number) {}

  state(now: number): BreakerState {
    if (this.openedAt === null) return 'closed'
    return now - this.openedAt >= this.recoveryMs ? 'half_open' : 'open'
  }

  /** When an open breaker turns half-open, or null while closed. */
  halfOpenAt(): number | null {
    return this.openedAt === null ? null : this.openedAt + this.recoveryMs
  }

  failureRate(): number {
    if (this.window.length === 0) return 0
    return this.window.filter(Boolean).length / this.window.length
  }

  /**
   * Whether normal selection may use the channel now. A probe that never reports back (a
   * crashed handler) is given up after one recovery period so the channel cannot stay stuck.
   */
  admits(now: number): boolean {
    const state = this.state(now)
    if (state === 'closed') return true
    if (state === 'open') return false
    return this.probeSince === null || now - this.probeSince >= this.recoveryMs
  }

  /** Marks the half-open probe as taken; returns false when the breaker is not half-open. */
  takeProbe(now: number): boolean {
    if (this.state(now) !== 'half_open') return false
    this.probeSince = now
    return true
  }

  /** Frees the probe slot without a verdict (client abort, client's own error). */
  releaseProbe(): void {
    this.probeSince = null
  }

  /** Records one channel outcome; returns true when this failure opened (or re-opened) the breaker. */
  record(failed: boolean, now: number): boolean {
    this.probeSince = null
    if (!failed) {
      // Any success is proof of life: close at once and forget the failures that opened it.
      if (this.openedAt !== null) {
        this.openedAt = null
        this.window = []
      }
      this.push(false)
      return false
    }
    this.push(true)
    const state = this.state(now)
    if (state === 'half_open' || (state === 'closed' && this.window.length >= MIN_SAMPLES && this.failureRate() >= FAILURE_THRESHOLD)) {
      this.openedAt = now
      return true
    }
    return false
  }

  /** Closes the breaker by hand (`resume`) and forgets the window. */
  reset(): void {
    this.window = []
    this.openedAt = null
    this.probeSince = null
  }

  private push(failed: boolean): void {
    this.window.push(failed)
    if (this.window.length > WINDOW_SIZE) this.window.shift()
  }
}

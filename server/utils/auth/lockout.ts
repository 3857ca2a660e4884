/** Addresses tracked at most; the oldest entry gives way, so a flood of addresses costs bounded memory. */
export const LOCKOUT_TABLE_SIZE = 10_000

export interface LockoutOptions {
  /** Failed checks in a row before the address is locked out. */
  failuresBeforeLockout: number
  lockoutMs: number
  now?: () => number
  maxEntries?: number
}

interface Entry {
  failures: number
  /** When the failure count is forgotten, or the lockout ends. */
  until: number
  locked: boolean
}

/** What a failure led to: `lockedNow` is true once, on the failure that starts the lockout. */
export interface FailureOutcome {
  lockedNow: boolean
}

/**
 * Counts failed access-key checks per client address, as the Go cc-bridge does against brute
 * force: after `failuresBeforeLockout` failures, each less than `lockoutMs` after the one
 * before, the address is locked out for `lockoutMs`; a good key clears its count. The table is
 * a Map in insertion order, capped at `maxEntries` by dropping the oldest entry.
 */
export class AuthLockout {
  private readonly entries = new Map<string, Entry>()
  private readonly now: () => number
  private readonly maxEntries: number

  constructor(private readonly options: LockoutOptions) {
    this.now = options.now ?? Date.now
    this.maxEntries = options.maxEntries ?? LOCKOUT_TABLE_SIZE
  }

  /** The thresholds, for the log line that announces a lockout. */
  get settings(): { failuresBeforeLockout: number, lockoutMs: number } {
    return { failuresBeforeLockout: this.options.failuresBeforeLockout, lockoutMs: this.options.lockoutMs }
  }

  /** Seconds until the address may try again (for `retry-after`), or 0 when it is not locked out. */
  lockedFor(address: string): number {
    const entry = this.entries.get(address)
    if (!entry?.locked) return 0
    const left = entry.until - this.now()
    if (left > 0) return Math.ceil(left / 1000)
    this.entries.delete(address)
    return 0
  }

  /** Records a failed check from `address`. */
  fail(address: string): FailureOutcome {
    const now = this.now()
    let entry = this.entries.get(address)
    if (entry && entry.until <= now) entry = undefined
    if (entry?.locked) return { lockedNow: false }
    entry ??= { failures: 0, until: 0, locked: false }
    entry.failures++
    entry.until = now + this.options.lockoutMs
    entry.locked = entry.failures >= this.options.failuresBeforeLockout
    // Re-inserting keeps the Map in order of last activity, so the cap drops the stalest entry.
    this.entries.delete(address)
    this.entries.set(address, entry)
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    return { lockedNow: entry.locked }
  }

  /** A good key from `address` clears its failures. */
  succeed(address: string): void {
    if (this.entries.size) this.entries.delete(address)
  }

  /** Addresses tracked now (for tests of the cap). */
  get size(): number {
    return this.entries.size
  }
}

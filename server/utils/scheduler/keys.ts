import type { LoadBalance, StoredChannel } from '#shared/schemas/config'
import { retainSlots, slot } from './slots'

/** A failed key rests this long before normal rotation uses it again. */
export const KEY_COOLDOWN_MS = 5 * 60_000
/** …and this long once it has failed more than {@link KEY_REPEAT_FAILURES} times in a row. */
export const KEY_LONG_COOLDOWN_MS = 10 * 60_000
const KEY_REPEAT_FAILURES = 3

/** A key taken out of rotation for an exhausted quota or balance, until reset by hand. */
export interface ExhaustedKey {
  channelId: string
  key: string
  reason: string
  /** Epoch ms. */
  since: number
}

interface Cooldown { failures: number, failedAt: number, until: number }

/** One pool's key state: cooldowns, exhausted keys and per-channel round-robin counters. */
export class KeyState {
  private cooldowns = new Map<string, Cooldown>()
  private exhausted = new Map<string, ExhaustedKey>()
  private rotation = new Map<string, number>()

  markFailed(channelId: string, key: string, now: number): void {
    const failures = (this.cooldown(channelId, key, now)?.failures ?? 0) + 1
    const rest = failures > KEY_REPEAT_FAILURES ? KEY_LONG_COOLDOWN_MS : KEY_COOLDOWN_MS
    this.cooldowns.set(slot(channelId, key), { failures, failedAt: now, until: now + rest })
  }

  markExhausted(channelId: string, key: string, reason: string, now: number): void {
    this.exhausted.set(slot(channelId, key), { channelId, key, reason, since: now })
  }

  isExhausted(channelId: string, key: string): boolean {
    return this.exhausted.has(slot(channelId, key))
  }

  /** The key worked: it is neither cooling nor exhausted any more. */
  clearKey(channelId: string, key: string): void {
    this.cooldowns.delete(slot(channelId, key))
    this.exhausted.delete(slot(channelId, key))
  }

  exhaustedKeys(): ExhaustedKey[] {
    return [...this.exhausted.values()]
  }

  /** A key that can be used at all (not exhausted); cooling keys count, as a last resort. */
  hasUsableKey(channel: StoredChannel): boolean {
    return channel.apiKeys.some(k => !this.isExhausted(channel.id, k))
  }

  /** A key that normal rotation would use right now: neither exhausted nor cooling. */
  hasReadyKey(channel: StoredChannel, now: number): boolean {
    return channel.apiKeys.some(k => !this.isExhausted(channel.id, k) && !this.cooldown(channel.id, k, now))
  }

  /**
   * Picks a key of the channel not yet tried in this request, as the Go cc-bridge does. Keys
   * that are cooling are skipped; if all of them cool, the one that failed longest ago is used
   * anyway.
   */
  pick(channel: StoredChannel, strategy: LoadBalance, tried: ReadonlySet<string>, now: number, random: () => number): { key: string, keyIndex: number } | null {
    const untried = channel.apiKeys
      .map((key, keyIndex) => ({ key, keyIndex }))
      .filter(k => !tried.has(k.key) && !this.isExhausted(channel.id, k.key))
    const ready = untried.filter(k => !this.cooldown(channel.id, k.key, now))
    if (ready.length === 0) {
      const failedAt = (k: { key: string }) => this.cooldown(channel.id, k.key, now)?.failedAt ?? 0
      return untried.sort((a, b) => failedAt(a) - failedAt(b))[0] ?? null
    }
    if (strategy === 'random') return ready[Math.floor(random() * ready.length)]!
    if (strategy === 'round-robin') {
      const n = this.rotation.get(channel.id) ?? 0
      this.rotation.set(channel.id, n + 1)
      return ready[n % ready.length]!
    }
    return ready[0]!
  }

  /** Keeps only the state of channels for which `keep` returns true (resume, hot reload). */
  retain(keep: (channelId: string) => boolean): void {
    retainSlots([this.cooldowns, this.exhausted, this.rotation], keep)
  }

  private cooldown(channelId: string, key: string, now: number): Cooldown | undefined {
    const entry = this.cooldowns.get(slot(channelId, key))
    if (entry && entry.until <= now) {
      this.cooldowns.delete(slot(channelId, key))
      return undefined
    }
    return entry
  }
}

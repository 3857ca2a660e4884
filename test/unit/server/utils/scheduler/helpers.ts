import type { StoredChannel } from '#shared/schemas/config'
import { createScheduler } from '#server/utils/scheduler/scheduler'
import type { SchedulerOptions } from '#server/utils/scheduler/scheduler'
import { createMemorySuspensionStore } from '#server/utils/scheduler/suspensions'
import type { AttemptOutcome, AttemptTarget, Decision, RequestRouting, RoutingRequest } from '#server/utils/scheduler/types'

export const T0 = Date.parse('2026-01-01T00:00:00Z')
export const MIN = 60_000

/** A claude channel with one key `<id>-k0` unless told otherwise. */
export function channel(id: string, over: Partial<StoredChannel> = {}): StoredChannel {
  return { id, name: id, serviceType: 'claude', baseUrl: 'https://up.example', apiKeys: [`${id}-k0`], ...over }
}

/** Deterministic random numbers (mulberry32), so `random` strategies are repeatable. */
export function seeded(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A scheduler on a fake clock that tests move by hand. */
export function setup(options: Omit<SchedulerOptions, 'clock'> = {}) {
  let now = T0
  const clock = () => now
  const suspensions = options.suspensions ?? createMemorySuspensionStore(clock)
  const scheduler = createScheduler({ random: seeded(1), ...options, clock, suspensions })
  return {
    scheduler,
    suspensions,
    now: () => now,
    advance: (ms: number) => { now += ms },
  }
}

export function request(channels: StoredChannel[], over: Partial<RoutingRequest> = {}): RoutingRequest {
  return { pool: 'messages', channels, strategy: 'failover', serviceTypes: ['claude'], model: 'claude-sonnet-4-5', ...over }
}

export const ok: AttemptOutcome = { kind: 'success', status: 200 }
export const http = (status: number, body = '{}', retryAfterSeconds?: number): AttemptOutcome => ({ kind: 'http', status, body, retryAfterSeconds })

export interface Drive {
  /** Every attempt in order, retries included. */
  attempts: AttemptTarget[]
  decisions: Decision[]
  /** The target whose success reached the client, if any. */
  served: AttemptTarget | null
  /** The total time spent waiting on `retry` decisions. */
  waitedMs: number
}

/**
 * Runs one request the way the proxy loop does, answering each attempt with `answer`. Retry
 * waits move the fake clock instead of sleeping.
 */
export function drive(routing: RequestRouting, answer: (t: AttemptTarget, n: number) => AttemptOutcome, advance?: (ms: number) => void): Drive {
  const out: Drive = { attempts: [], decisions: [], served: null, waitedMs: 0 }
  for (let t = routing.next(); t;) {
    out.attempts.push(t)
    const outcome = answer(t, out.attempts.length - 1)
    const d = routing.report(t, outcome)
    if (outcome.kind === 'success') {
      out.served = t
      break
    }
    out.decisions.push(d)
    if (d.action === 'return') break
    if (d.action === 'retry') {
      out.waitedMs += d.waitMs
      advance?.(d.waitMs)
      continue
    }
    t = routing.next()
  }
  return out
}

/** The channel ids of a drive's attempts, in order. */
export const path = (d: Drive) => d.attempts.map(t => t.channel.id)

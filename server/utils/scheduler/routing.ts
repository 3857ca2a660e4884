import type { StoredChannel } from '#shared/schemas/config'
import { CLIENT_ERROR_STATUSES, parseUpstreamError, transportStatus } from './error-classify'
import type { ParsedError } from './error-classify'
import type { FailoverAction, RuleMatch } from './failover-rules'
import { effectiveFailover, matchRule } from './failover-rules'
import type { PoolState } from './pool-state'
import type { Selection, SelectionView } from './select'
import { orderedCandidates, selectChannel } from './select'
import type { SuspensionStore } from './suspensions'
import type { AttemptOutcome, AttemptTarget, ChainAction, Clock, Decision, DecisionRecord, KeyMove, ReportBudget, RequestRouting, RoutingRequest } from './types'
import { renderChain } from './decision-chain'

/** Total time one request may spend waiting between retries of its last candidate. */
export const MAX_RETRY_WAIT_MS = 60_000
/** A `suspend` action without a future `quotaResetAt` suspends the channel for this long. */
export const DEFAULT_SUSPEND_MS = 5 * 60_000

export interface RoutingDeps {
  clock: Clock
  random: () => number
  suspensions: SuspensionStore
}

/** A failed attempt; `status` is synthetic for transport errors, `shown` is what the chain displays. */
interface Failure {
  attempt: AttemptTarget
  status: number
  shown: { status: number } | { error: string }
  parsed: ParsedError
  match?: RuleMatch
  retryAfterSeconds?: number
  /** Asking this upstream again would get the same (see the `transport` outcome). */
  persistent?: boolean
}

/** Starts the routing of one client request over one pool (see {@link RequestRouting}). */
export function createRouting(req: RoutingRequest, pool: PoolState, deps: RoutingDeps): RequestRouting {
  const failover = effectiveFailover(req.failover)
  const candidates = orderedCandidates(req.channels, req.serviceTypes)
  const failed = new Set<string>()
  const triedKeys = new Map<string, Set<string>>()
  const rateLimited = new Map<string, Set<string>>()
  const records: DecisionRecord[] = []
  const moves: KeyMove[] = []
  let current: Selection | null = null
  let probeHolder: string | null = null
  let retryWaitMs = 0
  /** Set once an attempt succeeded: later failure reports are about its stream. */
  let served = false

  const tried = (channelId: string) => {
    let set = triedKeys.get(channelId)
    if (!set) triedKeys.set(channelId, set = new Set())
    return set
  }

  function view(now: number, extraFailed?: string): SelectionView {
    const breaker = (id: string) => pool.breaker(id)
    return {
      now,
      strategy: req.strategy,
      rotation: pool.rotation,
      random: deps.random,
      breakerOn: !failover.enabled,
      failed: extraFailed ? new Set([...failed, extraFailed]) : failed,
      affinityChannelId: req.affinityKey === undefined ? undefined : pool.affinity.get(req.affinityKey, now),
      isSuspended: id => deps.suspensions.isSuspended(req.pool, id, now),
      admits: id => breaker(id).admits(now),
      isHalfOpen: id => breaker(id).state(now) === 'half_open',
      failureRate: id => breaker(id).failureRate(),
      hasReadyKey: c => pool.keys.hasReadyKey(c, now),
      hasUsableKey: c => pool.keys.hasUsableKey(c),
    }
  }

  /** Whether anything other than `channel` could still take this request. */
  const otherChannel = (channel: StoredChannel, now: number) =>
    selectChannel(candidates, { ...view(now, channel.id), random: () => 0 }) !== null
  const otherKey = (channel: StoredChannel) =>
    channel.apiKeys.some(k => !tried(channel.id).has(k) && !pool.keys.isExhausted(channel.id, k))

  function record(t: AttemptTarget, action: ChainAction, reason: string, outcome: { status?: number, error?: string }, waitMs?: number): void {
    records.push({ channelId: t.channel.id, channelName: t.channel.name, keyIndex: t.keyIndex, ...outcome, action, reason, waitMs })
  }

  function releaseProbe(channelId: string): void {
    if (probeHolder !== channelId) return
    pool.breaker(channelId).releaseProbe()
    probeHolder = null
  }

  function verdict(channel: StoredChannel, success: boolean, status: number, now: number): void {
    pool.record(channel, success, status, req.model, now)
    if (probeHolder === channel.id) probeHolder = null
  }

  /** A failed channel verdict; this request's user stops sticking to the channel. */
  function channelFailed(channel: StoredChannel, status: number, now: number): void {
    verdict(channel, false, status, now)
    if (req.affinityKey !== undefined) pool.affinity.forget(req.affinityKey, channel.id)
  }

  function select(now: number): Selection | null {
    const chosen = selectChannel(candidates, view(now))
    if (!chosen) return null
    if (chosen.reason === 'round_robin') pool.rotation++
    if (chosen.reason === 'half_open_probe' && !req.observeOnly && pool.breaker(chosen.channel.id).takeProbe(now)) probeHolder = chosen.channel.id
    return chosen
  }

  /** Gives up on the failure's channel for this request and says whether another one is left. */
  function leaveChannel(f: Failure, action: 'failover' | 'suspend', reason: string, now: number): Decision {
    const { channel } = f.attempt
    failed.add(channel.id)
    current = null
    channelFailed(channel, f.status, now)
    const more = selectChannel(candidates, { ...view(now), random: () => 0 }) !== null
    record(f.attempt, action === 'suspend' || more ? action : 'return', reason, f.shown)
    return more ? { action: 'next' } : { action: 'return' }
  }

  /**
   * Moves past a failed attempt. Server-side failures (5xx, 408, 529, transport) are the
   * channel's fault, so another channel is tried before another key of the same one, and the
   * key is not cooled down. Key failures (401, 403, 429, quota) rest the key and try the next.
   */
  function moveOn(f: Failure, reason: string, now: number): Decision {
    const { channel, key } = f.attempt
    const serverSide = f.status >= 500 || f.status === 408
    if (serverSide && otherChannel(channel, now)) return leaveChannel(f, 'failover', reason, now)
    if (!serverSide && !f.parsed.quotaExhausted) pool.keys.markFailed(channel.id, key, now)
    if (otherKey(channel)) {
      record(f.attempt, 'next-key', reason, f.shown)
      return { action: 'next' }
    }
    return leaveChannel(f, 'failover', reason, now)
  }

  function retryOrMoveOn(f: Failure, step: FailoverAction, reason: string, now: number, budget: ReportBudget): Decision {
    const { channel, key } = f.attempt
    const waitMs = Math.max(step.waitSeconds || f.parsed.waitSeconds, f.retryAfterSeconds ?? 0) * 1000
    // Waiting is only worth it for the last candidate standing; anything else answers sooner.
    // A wait that would outlast the request's budget only delays the answer it ends up with.
    const lastStanding = !otherKey(channel) && !otherChannel(channel, now)
    const fits = retryWaitMs + waitMs <= MAX_RETRY_WAIT_MS && waitMs < (budget.waitMs ?? Infinity)
    if (lastStanding && !f.parsed.quotaExhausted && fits) {
      retryWaitMs += waitMs
      record(f.attempt, 'retry', `${reason}, wait ${waitMs / 1000}s`, f.shown, waitMs)
      return { action: 'retry', waitMs }
    }
    pool.counters.reset(channel.id, key, f.match!.rule)
    return moveOn(f, reason, now)
  }

  function onFailure(f: Failure, now: number, budget: ReportBudget = {}): Decision {
    const { channel, key } = f.attempt
    if (CLIENT_ERROR_STATUSES.has(f.status) && (!f.match || f.match.phase === 3)) {
      // The client's own mistake says nothing about the channel or key.
      releaseProbe(channel.id)
      record(f.attempt, 'return', 'client_error', f.shown)
      return { action: 'return' }
    }
    if (f.parsed.quotaExhausted) pool.keys.markExhausted(channel.id, key, f.parsed.subtype ?? `http_${f.status}`, now)
    if (f.status === 429) {
      const limited = rateLimited.get(channel.id) ?? new Set<string>()
      rateLimited.set(channel.id, limited.add(key))
    }
    const reason = [f.parsed.subtype, f.parsed.quotaExhausted && 'quota_exhausted', f.match ? `rule ${f.match.rule.errorCodes}` : 'no_matching_rule'].filter(Boolean).join(', ')
    const step: FailoverAction = f.match
      ? pool.counters.step(channel.id, key, f.match.rule)
      // Without a rule, a server-side error (501, Cloudflare's 52x, …) still moves on while
      // another candidate exists; only the rest goes back to the client as it is.
      : { action: f.parsed.quotaExhausted || f.status >= 500 ? 'failover' : 'none' }
    if (f.persistent && (step.action === 'retry' || step.action === 'failover')) {
      // A silent upstream (or a login page) is no likelier to answer a second time, with this
      // key or another: asking again only spends the client's budget, so the next channel gets it.
      if (f.match) pool.counters.reset(channel.id, key, f.match.rule)
      return leaveChannel(f, 'failover', reason, now)
    }
    switch (step.action) {
      case 'none':
        channelFailed(channel, f.status, now)
        record(f.attempt, 'return', reason, f.shown)
        return { action: 'return' }
      case 'suspend': {
        const resetAt = Date.parse(String(channel.quotaResetAt ?? ''))
        deps.suspensions.suspend(req.pool, channel.id, resetAt > now ? resetAt : now + DEFAULT_SUSPEND_MS, reason)
        pool.affinity.retain(id => id !== channel.id)
        return leaveChannel(f, 'suspend', reason, now)
      }
      case 'retry':
        return retryOrMoveOn(f, step, reason, now, budget)
      default:
        return moveOn(f, reason, now)
    }
  }

  /**
   * An observe-only failure: the next key (401/403/429) or channel (5xx, transport) when one is
   * left, nothing recorded against either; the caller's own fallback handles the rest.
   */
  function observe(t: AttemptTarget, outcome: Exclude<AttemptOutcome, { kind: 'success' | 'local' }>, now: number): Decision {
    if (outcome.kind === 'client-abort') {
      record(t, 'abort', 'client_abort', {})
      return { action: 'return' }
    }
    const status = outcome.kind === 'http' ? outcome.status : transportStatus(outcome.code, outcome.error)
    const shown = outcome.kind === 'http' ? { status } : { error: outcome.code ?? outcome.error }
    const keyFault = status === 401 || status === 403 || status === 429
    if (!keyFault && status < 500) {
      record(t, 'return', 'observe_only', shown)
      return { action: 'return' }
    }
    if (keyFault && otherKey(t.channel)) {
      record(t, 'next-key', 'observe_only', shown)
      return { action: 'next' }
    }
    failed.add(t.channel.id)
    current = null
    const more = selectChannel(candidates, { ...view(now), random: () => 0 }) !== null
    record(t, more ? 'failover' : 'return', 'observe_only', shown)
    return more ? { action: 'next' } : { action: 'return' }
  }

  function onSuccess(t: AttemptTarget, status: number, now: number): Decision {
    const { channel, key } = t
    served = true
    if (req.observeOnly) {
      record(t, 'success', t.reason, { status })
      return { action: 'return' }
    }
    pool.keys.clearKey(channel.id, key)
    pool.counters.clearPair(channel.id, key)
    verdict(channel, true, status, now)
    if (req.affinityKey !== undefined) pool.affinity.set(req.affinityKey, channel.id, now)
    // A key that was rate-limited while a sibling answered goes to the back of the line.
    for (const k of rateLimited.get(channel.id) ?? []) {
      if (k !== key) moves.push({ pool: req.pool, channelId: channel.id, key: k })
    }
    record(t, 'success', t.reason, { status })
    return { action: 'return' }
  }

  /**
   * cc-bridge's own failure to send the request: nothing is held against the channel or key (no
   * breaker entry, no cooldown, probe slot freed). The request as built for another channel may
   * well go through, so the next one is tried.
   */
  function localFailure(t: AttemptTarget, error: string, now: number): Decision {
    releaseProbe(t.channel.id)
    failed.add(t.channel.id)
    current = null
    const more = selectChannel(candidates, { ...view(now), random: () => 0 }) !== null
    record(t, more ? 'failover' : 'return', 'local_error', { error })
    return more ? { action: 'next' } : { action: 'return' }
  }

  function streamFailed(t: AttemptTarget, error: string): void {
    channelFailed(t.channel, 0, deps.clock())
    record(t, 'stream-failed', 'stream_failed', { error })
  }

  return {
    next() {
      if (served) return null
      const now = deps.clock()
      for (;;) {
        current ??= select(now)
        if (!current) return null
        const { channel, reason } = current
        const picked = pool.keys.pick(channel, channel.keyLoadBalance || req.strategy, tried(channel.id), now, deps.random)
        if (picked) {
          tried(channel.id).add(picked.key)
          return { channel, key: picked.key, keyIndex: picked.keyIndex, reason }
        }
        failed.add(channel.id)
        releaseProbe(channel.id)
        current = null
      }
    },

    report(t, outcome: AttemptOutcome, budget?: ReportBudget) {
      const now = deps.clock()
      if (served && outcome.kind !== 'success') {
        // After a success nothing can be retried: the only news is that its stream broke.
        if (outcome.kind !== 'client-abort' && !req.observeOnly) streamFailed(t, outcome.kind === 'http' ? String(outcome.status) : outcome.code ?? outcome.error)
        return { action: 'return' }
      }
      if (outcome.kind === 'local') return localFailure(t, outcome.code ?? outcome.error, now)
      if (req.observeOnly && outcome.kind !== 'success') return observe(t, outcome, now)
      switch (outcome.kind) {
        case 'success':
          return onSuccess(t, outcome.status, now)
        case 'client-abort':
          releaseProbe(t.channel.id)
          record(t, 'abort', 'client_abort', {})
          return { action: 'return' }
        case 'http': {
          const parsed = parseUpstreamError(outcome.status, outcome.body, failover)
          const match = matchRule(failover.rules, outcome.status, parsed.subtype)
          return onFailure({ attempt: t, status: outcome.status, shown: { status: outcome.status }, parsed, match, retryAfterSeconds: outcome.retryAfterSeconds }, now, budget)
        }
        case 'transport': {
          const status = transportStatus(outcome.code, outcome.error)
          const shown = { error: outcome.code ?? outcome.error }
          const parsed = { waitSeconds: 0, quotaExhausted: false }
          return onFailure({ attempt: t, status, shown, parsed, match: matchRule(failover.rules, status), persistent: outcome.persistent }, now, budget)
        }
      }
    },

    reportStreamFailure: streamFailed,

    chain: () => renderChain(records),
    decisions: () => records.map(r => ({ ...r })),
    keyMoves: () => [...moves],
  }
}

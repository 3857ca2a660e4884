import type { FailoverConfig, LoadBalance, PoolName, StoredChannel } from '#shared/schemas/config'

/** Milliseconds since the epoch. Injected so tests move time instead of sleeping. */
export type Clock = () => number

/** One upstream attempt: which channel and which of its keys. */
export interface AttemptTarget {
  channel: StoredChannel
  key: string
  keyIndex: number
  /** Why this channel was chosen: `promotion_priority`, `trace_affinity`, `priority_order`, `round_robin`, `random`, `fallback`, `half_open_probe`. */
  reason: string
}

/** What happened on one attempt, as the proxy saw it before sending anything to the client. */
export type AttemptOutcome
  = | { kind: 'success', status: number }
    | { kind: 'http', status: number, body: string, retryAfterSeconds?: number }
  /**
   * No HTTP error status: refused, reset, timed out, or a success status with a body that is not
   * the protocol's. `persistent`: asking the same upstream again would only get the same (it
   * stayed silent, or answered with a login page), so it is left for another channel at once.
   */
    | { kind: 'transport', error: string, code?: string, persistent?: boolean }
  /** The client went away; never counted against the channel or key. */
    | { kind: 'client-abort' }
  /**
   * cc-bridge could not build or send the request (the HTTP client refused it): the upstream
   * never saw it, so it is never counted against the channel or key.
   */
    | { kind: 'local', error: string, code?: string }

/** What the proxy does next after a failed attempt. */
export type Decision
  /** Give this upstream error to the client now (client's own 4xx, a `none` rule, or nothing left to try). */
  = | { action: 'return' }
  /** Wait, then try the same target again. */
    | { action: 'retry', waitMs: number }
  /** Try the next target (another key of this channel, or another channel). */
    | { action: 'next' }

/** How one attempt ended up, as rendered in the decision chain. */
export type ChainAction = 'success' | 'retry' | 'next-key' | 'failover' | 'suspend' | 'return' | 'abort' | 'stream-failed'

/** One routing decision, kept as data so the request log can store it. */
export interface DecisionRecord {
  channelId: string
  channelName: string
  keyIndex: number
  /** Upstream HTTP status, when there was one. */
  status?: number
  /** Transport error code or message, when there was no HTTP status. */
  error?: string
  action: ChainAction
  /** Why: the selection reason on success, else e.g. `rule:429`, `client_error`, `quota_exhausted`. */
  reason: string
  /** How long the proxy waits before trying the same channel and key again (`retry` only), in ms. */
  waitMs?: number
}

/** A key that should go to the end of its channel's `apiKeys`; the caller writes it to config. */
export interface KeyMove {
  pool: PoolName
  channelId: string
  key: string
}

/** What is left of the request's own limits when an outcome is reported. */
export interface ReportBudget {
  /** Time left before the request's deadline; a retry wait must end before it. */
  waitMs?: number
}

/** The per-request view of the scheduler: hands out targets and learns from outcomes. */
export interface RequestRouting {
  /** The next target to try, or null when every candidate is used up. */
  next(): AttemptTarget | null
  /**
   * Record an attempt's outcome; for failures, says what to do next. A failure reported after a
   * success is taken as that stream breaking (same as {@link RequestRouting.reportStreamFailure}).
   */
  report(target: AttemptTarget, outcome: AttemptOutcome, budget?: ReportBudget): Decision
  /**
   * A stream that was reported as a success broke before it finished. Counts as a failure for
   * the channel's health and drops this request's affinity to it; nothing can be retried.
   */
  reportStreamFailure(target: AttemptTarget, error: string): void
  /** The decision trail, e.g. `chanA 500 > retry > chanA 500 > failover > chanB 200`. */
  chain(): string
  /** The same trail as data, for the request log. */
  decisions(): DecisionRecord[]
  /** Keys to move to the end of their channel (a 429 key, after another key of it succeeded). */
  keyMoves(): KeyMove[]
}

/** What the proxy knows about a request when it asks for routing. */
export interface RoutingRequest {
  pool: PoolName
  channels: StoredChannel[]
  strategy: LoadBalance
  failover?: FailoverConfig
  /** Service types this endpoint can talk to (the channel types it passes through or converts for). */
  serviceTypes: readonly string[]
  /** Trace-affinity user, from `metadata.user_id`, session headers or `prompt_cache_key`. */
  affinityKey?: string
  model?: string
  /**
   * Side requests (count_tokens) use the pool's order and state but teach it nothing: no breaker
   * or metrics entries, key cooldowns, affinity, rule counters, retries or probe slots. A channel
   * that has no count_tokens must not look broken for /v1/messages.
   */
  observeOnly?: boolean
}

import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { InvalidRequestError } from '#server/utils/convert/types'
import { protocolErrorBody } from '#server/utils/http/protocol-error'
import type { AttemptTarget, RequestRouting } from '#server/utils/scheduler/types'
import type { OutputLimits } from '#server/utils/upstream/output-limits'
import { planAttempt } from './plan-attempt'
import { sendSuccess } from './send-answer'
import type { AnswerTap, AttemptPlan, Failure, ForwardResult, ParsedRequest, PoolRoute } from './types'
import { attempt, type AttemptBudget } from './upstream-attempt'

export interface ForwardOptions {
  req: ParsedRequest
  res: ServerResponse
  routing: RequestRouting
  ep: PoolRoute
  /** A non-streaming request's budget, all attempts and waits together (`REQUEST_TIMEOUT`). */
  requestTimeoutMs: number
  /** A streaming request's budget until its first byte, all attempts and waits together (`FIRST_BYTE_TIMEOUT`). */
  firstByteTimeoutMs: number
  /** Upstream attempts one request may make (`MAX_ATTEMPTS`). */
  maxAttempts: number
  pingMs: number
  /** Aborted when the client disconnects. */
  signal: AbortSignal
  /** Output-token limits learnt from upstream refusals. */
  limits: OutputLimits
  /** Sees the answer that reaches the client (see `ForwardHooks.tap`). */
  tap?: AnswerTap
  /** The request for one target, when it differs per channel (see `ForwardHooks.requestFor`). */
  requestFor?: (target: AttemptTarget) => ParsedRequest
}

/** Builds the attempt's plan; input a converter cannot express is the client's 400, not the channel's. */
function plan(o: ForwardOptions, target: Parameters<typeof planAttempt>[2]): AttemptPlan | Failure {
  try {
    return planAttempt(o.ep, o.requestFor?.(target) ?? o.req, target, model => o.limits.get(target.channel.id, model))
  }
  catch (err) {
    if (!(err instanceof InvalidRequestError)) throw err
    return { status: 400, headers: {}, body: protocolErrorBody(o.ep.protocol, 400, err.message, err.code ?? undefined) }
  }
}

/** The 504 of a request whose budget ran out between attempts. */
function budgetSpent(o: ForwardOptions, budget: Omit<AttemptBudget, 'ms'>): Failure {
  const message = `no upstream answered within ${budget.name} (${budget.totalMs} ms for the whole request)`
  return { status: 504, headers: {}, body: protocolErrorBody(o.ep.protocol, 504, message) }
}

/**
 * Sends a parsed request to the channels the routing hands out until one answers, then relays
 * its answer. Every retry and fail-over happens before the first byte reaches the client; after
 * that, a failure ends the stream with the protocol's error event. The request has one time
 * budget for all of it (until a stream's first byte, or a whole non-streamed answer) and at
 * most `maxAttempts` upstream calls.
 */
export async function runFailoverLoop(o: ForwardOptions): Promise<ForwardResult> {
  const { routing } = o
  const budget = o.req.stream
    ? { name: 'FIRST_BYTE_TIMEOUT' as const, totalMs: o.firstByteTimeoutMs }
    : { name: 'REQUEST_TIMEOUT' as const, totalMs: o.requestTimeoutMs }
  const deadline = performance.now() + budget.totalMs
  let last: Failure | undefined
  let attempts = 0
  let target = routing.next()
  while (target && attempts < o.maxAttempts) {
    const leftMs = deadline - performance.now()
    if (leftMs <= 0) return { status: 504, chain: routing.chain(), end: 'upstream-error', failure: budgetSpent(o, budget) }
    const p = plan(o, target)
    if (!('url' in p)) {
      // The client's own error: the scheduler records it as such (and frees a probe slot).
      routing.report(target, { kind: 'http', status: 400, body: p.body })
      return { status: 400, chain: routing.chain(), end: 'upstream-error', failure: p }
    }
    attempts++
    const a = await attempt({ plan: p, target, stream: o.req.stream, protocol: o.ep.protocol, budget: { ...budget, ms: leftMs }, signal: o.signal })
    const channel = target.channel.name
    if (a.ok) {
      routing.report(target, { kind: 'success', status: a.response.statusCode })
      try {
        const end = await sendSuccess({ res: o.res, attempt: a, plan: p, channel, sse: o.ep.sse, pingMs: o.pingMs, signal: o.signal, tap: o.tap, keys: target.channel.apiKeys })
        if (end.kind === 'upstream-failed') routing.reportStreamFailure(target, end.error)
        const kind = end.kind === 'completed' ? 'completed' : end.kind === 'client-abort' ? 'client-abort' : 'stream-failed'
        // What the client got: a converted answer may carry its own status.
        return { status: o.res.statusCode, channel, channelId: target.channel.id, chain: routing.chain(), end: kind, usage: end.usage }
      }
      catch (err) {
        if (!o.res.writableEnded) o.res.destroy(err as Error)
        return { status: a.response.statusCode, channel, chain: routing.chain(), end: o.signal.aborted ? 'client-abort' : 'stream-failed' }
      }
    }
    if (a.outcome.kind === 'client-abort') {
      routing.report(target, a.outcome)
      return { status: 499, channel, chain: routing.chain(), end: 'client-abort' }
    }
    // Over the model's output limit: clamp to the limit it named and ask again. The channel is
    // fine, so the scheduler never hears of it; the clamped plan cannot be over again.
    last = a.failure
    if (a.outcome.kind === 'http' && a.outcome.status === 400 && o.limits.learn(target.channel.id, p.upstreamModel, a.outcome.body, p.maxTokens)) continue
    const decision = routing.report(target, a.outcome, { waitMs: deadline - performance.now() })
    if (a.outOfBudget || decision.action === 'return') break
    if (decision.action === 'retry') {
      if (attempts >= o.maxAttempts) break
      try {
        await sleep(decision.waitMs, undefined, { signal: o.signal })
      }
      catch {
        return { status: 499, channel, chain: routing.chain(), end: 'client-abort' }
      }
      continue
    }
    // Past the attempt limit no target is taken (a half-open probe slot would be held for nothing).
    target = attempts < o.maxAttempts ? routing.next() : null
  }
  if (last) return { status: last.status, chain: routing.chain(), end: 'upstream-error', failure: last }
  return { status: 503, chain: routing.chain(), end: 'no-channel' }
}

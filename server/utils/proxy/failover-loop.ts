import type { ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { InvalidRequestError } from '#server/utils/convert/types'
import { protocolErrorBody } from '#server/utils/http/protocol-error'
import type { AttemptTarget, RequestRouting } from '#server/utils/scheduler/types'
import type { OutputLimits } from '#server/utils/upstream/output-limits'
import { planAttempt } from './plan-attempt'
import { sendSuccess } from './send-answer'
import type { AnswerTap, AttemptPlan, Failure, ForwardResult, ParsedRequest, PoolRoute } from './types'
import { attempt } from './upstream-attempt'

export interface ForwardOptions {
  req: ParsedRequest
  res: ServerResponse
  routing: RequestRouting
  ep: PoolRoute
  requestTimeoutMs: number
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

/**
 * Sends a parsed request to the channels the routing hands out until one answers, then relays
 * its answer. Every retry and fail-over happens before the first byte reaches the client; after
 * that, a failure ends the stream with the protocol's error event.
 */
export async function runFailoverLoop(o: ForwardOptions): Promise<ForwardResult> {
  const { routing } = o
  let last: Failure | undefined
  let target = routing.next()
  while (target) {
    const p = plan(o, target)
    if (!('url' in p)) {
      // The client's own error: the scheduler records it as such (and frees a probe slot).
      routing.report(target, { kind: 'http', status: 400, body: p.body })
      return { status: 400, chain: routing.chain(), end: 'upstream-error', failure: p }
    }
    const a = await attempt({ plan: p, target, stream: o.req.stream, protocol: o.ep.protocol, requestTimeoutMs: o.requestTimeoutMs, signal: o.signal })
    const channel = target.channel.name
    if (a.ok) {
      routing.report(target, { kind: 'success', status: a.response.statusCode })
      try {
        const end = await sendSuccess({ res: o.res, attempt: a, plan: p, channel, sse: o.ep.sse, pingMs: o.pingMs, signal: o.signal, tap: o.tap })
        if (end.kind === 'upstream-failed') routing.reportStreamFailure(target, end.error)
        const kind = end.kind === 'completed' ? 'completed' : end.kind === 'client-abort' ? 'client-abort' : 'stream-failed'
        return { status: a.response.statusCode, channel, channelId: target.channel.id, chain: routing.chain(), end: kind, usage: end.usage }
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
    if (a.outcome.kind === 'http' && a.outcome.status === 400 && o.limits.learn(target.channel.id, p.upstreamModel, a.outcome.body, p.maxTokens)) continue
    last = a.failure
    const decision = routing.report(target, a.outcome)
    if (decision.action === 'return') break
    if (decision.action === 'retry') {
      try {
        await sleep(decision.waitMs, undefined, { signal: o.signal })
      }
      catch {
        return { status: 499, channel, chain: routing.chain(), end: 'client-abort' }
      }
      continue
    }
    target = routing.next()
  }
  if (last) return { status: last.status, chain: routing.chain(), end: 'upstream-error', failure: last }
  return { status: 503, chain: routing.chain(), end: 'no-channel' }
}

import type { StoredChannel } from '#shared/schemas/config'
import { maskKey, maskKeysIn } from '#server/utils/admin/mask'
import type { Usage } from '#server/utils/convert/types'
import { channelById } from '#server/utils/config/channel-by-id'
import { answerColumns, pricingUsage } from '#server/utils/logs/answer-columns'
import { copyAnswer } from '#server/utils/logs/answer-arena'
import { logAttempts } from '#server/utils/logs/attempts'
import { clientOf } from '#server/utils/logs/client'
import type { AnswerColumns, DeferredAnswer } from '#server/utils/logs/types'
import type { DecisionRecord, RequestRouting } from '#server/utils/scheduler/types'
import { estimateInputTokens } from '#server/utils/tokens/estimate'
import { mapModel } from '#server/utils/upstream/model-mapping'
import { createUsageTap, factsOfBody, type AnswerFacts, type UsageProtocol, type UsageTap } from '#server/utils/usage/passthrough-usage'
import type { AnswerTap, ForwardResult, PoolRoute, ProxyCall } from './types'

/** A non-streaming answer is read for its usage once, whole; past this size it is not kept for that. */
const MAX_USAGE_BODY_BYTES = 8 * 1024 * 1024

/**
 * Up to this size a successful answer's usage is read by the request log's writer thread rather
 * than here (see `finish`): it goes through the thread's ring with its row, which holds 2 MB.
 */
const MAX_DEFERRED_BODY_BYTES = 64 * 1024

/** Where an answer that reports usage says so, searched before an answer is left to the writer thread. */
const USAGE_KEY = Buffer.from('"usage"')

/** A channel's price multipliers as the writer thread takes them: JSON, made once per config. */
const multiplierTexts = new WeakMap<object, string>()
function multipliersText(channel: StoredChannel): string {
  const multipliers = channel.priceMultipliers
  if (!multipliers) return ''
  let text = multiplierTexts.get(multipliers)
  if (text === undefined) multiplierTexts.set(multipliers, text = JSON.stringify(multipliers))
  return text
}

/** What the proxy holds for one logged request between its start and its end. */
export interface RequestLogger {
  /** Sees the answer as it reaches the client: its first byte and the usage it reports. */
  tap: AnswerTap
  /** Writes the final row: status, channel, tokens, cost, times and the fail-over chain. */
  finish(result: ForwardResult, routing: RequestRouting): void
}

/** The protocol of the answers a pool route sends its clients. */
function answerProtocol(route: PoolRoute): UsageProtocol {
  return route.pool === 'responses' ? 'responses' : route.protocol
}

/** The status a row ends with, in the Go cc-bridge's terms (a client that went away is an `error` with 499). */
function finalStatus(result: ForwardResult): { status: 'completed' | 'error' | 'timeout', httpStatus: number } {
  if (result.end === 'client-abort') return { status: 'error', httpStatus: 499 }
  if (result.end === 'completed') return { status: 'completed', httpStatus: result.status }
  return { status: result.status === 504 ? 'timeout' : 'error', httpStatus: result.status }
}

/**
 * Starts the request-log row of a forwarded request (`pending`, so the live view shows it) and
 * returns what finishes it. Side requests that teach the pool nothing (count_tokens) are not
 * logged, nor is anything with `ENABLE_REQUEST_LOG_DB=false`. Nothing here blocks: the log
 * queues rows and writes them in batches.
 */
export function startRequestLog(call: ProxyCall, route: PoolRoute, channels: readonly StoredChannel[]): RequestLogger | undefined {
  if (route.observeOnly || !call.services.env.enableRequestLogDb) return undefined
  return new LoggedRequest(call, route, channels)
}

/**
 * One logged request: its tap and its end. A class rather than closures made per request: each
 * new closure pays for its first call (V8 installs its code on every new function object), and
 * these run on every request.
 */
class LoggedRequest implements RequestLogger, AnswerTap {
  private readonly initialTime = Date.now()
  private readonly protocol: UsageProtocol
  private readonly streamed: UsageTap
  /** The answer as relayed (Buffers) or as converted (a string), kept as given: decoded only if read. */
  private readonly chunks: (string | Buffer)[] = []
  private bodyBytes = 0
  private firstAt: number | undefined

  constructor(private readonly call: ProxyCall, route: PoolRoute, private readonly channels: readonly StoredChannel[]) {
    const req = call.body!
    const ua = req.headers['user-agent']
    const client = clientOf(route.pool, req.json, req.headers)
    call.services.requestLog.record({
      id: call.id,
      status: 'pending',
      pool: route.pool,
      endpoint: `/v1/${route.endpoint}`,
      initialTime: this.initialTime,
      model: req.model,
      stream: req.stream,
      clientId: client.clientId,
      sessionId: client.sessionId,
      userAgent: typeof ua === 'string' ? ua : undefined,
    })
    this.protocol = answerProtocol(route)
    this.streamed = createUsageTap(this.protocol)
  }

  /** Sees the answer as it reaches the client: its first byte and the usage it reports. */
  get tap(): AnswerTap {
    return this
  }

  frames(chunk: string | Buffer, converted: boolean): void {
    this.firstAt ??= Date.now()
    // A converter counts the usage it converts (`finish` takes `result.usage`): reading its output
    // again would be a second parse of every event that carries usage, for nothing.
    if (!converted) this.streamed.observe(chunk)
  }

  body(chunk: string | Buffer): void {
    this.firstAt ??= Date.now()
    // A string's length in characters stands for its bytes: the cap is a bound, not an account.
    this.bodyBytes += chunk.length
    if (this.bodyBytes <= MAX_USAGE_BODY_BYTES) this.chunks.push(chunk)
  }

  finish(result: ForwardResult, routing: RequestRouting): void {
    const { call, channels, chunks, firstAt, initialTime } = this
    const req = call.body!
    const log = call.services.requestLog
    const completeTime = Date.now()
    const decisions = routing.decisions()
    const channel = channelById(channels, result.channelId) ?? channelById(channels, decisions.at(-1)?.channelId)
    const served = decisions.findLast(succeeded)
    const completed = result.end === 'completed'
    const body = result.usage || req.stream || !chunks.length || this.bodyBytes > MAX_USAGE_BODY_BYTES
      ? undefined
      : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks.map(asBuffer))
    let answer: AnswerColumns | undefined
    let deferred: DeferredAnswer | undefined
    // A successful answer that reports its usage can be read by the writer thread, off the event
    // loop, where its parse was a quarter of the log's work here (the live stream, when watched,
    // gets its tokens and cost from here). One without usage is read here: its input is estimated
    // from the request, which the thread does not have.
    if (channel && completed && typeof body === 'object' && body.length <= MAX_DEFERRED_BODY_BYTES && body.includes(USAGE_KEY) && log.defersAnswers(call.id)) {
      deferred = { bytes: copyAnswer(body), protocol: this.protocol, multipliers: multipliersText(channel), pricingVersion: call.services.pricing.version() }
    }
    else {
      const facts: AnswerFacts = result.usage ? { usage: result.usage } : req.stream ? this.streamed.facts() : body ? factsOfBody(this.protocol, body) : {}
      // An upstream that reported nothing: the input is estimated from the request; the output is unknown.
      const usage: Usage = facts.usage ?? { inputTokens: completed ? estimateInputTokens(req.json) : 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, estimated: true }
      const quote = channel && completed
        ? call.services.pricing.quote({ usage: pricingUsage(usage), requestedModel: req.model, responseModel: facts.model, priceMultipliers: channel.priceMultipliers })
        : undefined
      answer = answerColumns(facts.model, usage, quote?.cost)
    }
    const failed = !completed
    const evidence = failed && result.failure ? failureEvidence(result.failure.body, req.raw, channels.flatMap(c => c.apiKeys)) : undefined
    const { status, httpStatus } = finalStatus(result)
    // One literal with every other column, absent ones undefined (they keep their defaults): no
    // spreads, each of which cost an object and a slow copy per request.
    log.update(call.id, {
      status,
      httpStatus,
      completeTime,
      durationMs: completeTime - initialTime,
      firstTokenTime: firstAt,
      firstTokenDurationMs: firstAt === undefined ? undefined : firstAt - initialTime,
      mappedModel: channel ? mapModel(req.model, channel.modelMapping) : undefined,
      channelUid: channel?.id,
      channelName: channel?.name,
      providerName: channel?.name,
      type: channel?.serviceType,
      maskedKey: served && channel ? maskOf(channel.apiKeys[served.keyIndex]) : undefined,
      failoverInfo: result.chain,
      attempts: logAttempts(decisions, channels),
      error: evidence?.error ?? (failed && !result.failure ? result.end : undefined),
      requestBody: evidence?.requestBody,
      responseBody: evidence?.responseBody,
    }, answer, deferred)
  }
}

/** A failed request's error text and bodies, the channels' keys masked (the log keeps the bodies only with `LOG_FAILED_BODIES`). */
function failureEvidence(answer: string, request: Buffer, keys: readonly string[]) {
  const responseBody = maskKeysIn(answer, keys)
  return { error: responseBody.slice(0, 2000), requestBody: maskKeysIn(request.toString('utf8'), keys), responseBody }
}

const maskOf = (key: string | undefined) => (key === undefined ? undefined : maskKey(key))

const asBuffer = (chunk: string | Buffer) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)

// Module-level rather than an arrow inside `finish`: a closure made per request pays for its first
// call (V8 installs its code on each new function object).
const succeeded = (d: DecisionRecord) => d.action === 'success'

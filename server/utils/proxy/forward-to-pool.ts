import { POOLS, type Config, type StoredChannel } from '#shared/schemas/config'
import { protocolErrorBody } from '#server/utils/http/protocol-error'
import { log } from '#server/utils/log'
import { extractAffinityKey } from '#server/utils/scheduler/affinity'
import type { RequestRouting } from '#server/utils/scheduler/types'
import { runFailoverLoop } from './failover-loop'
import { startRequestLog } from './request-logger'
import { sendFailure } from './send-answer'
import type { AnswerTap, ForwardHooks, ForwardResult, ParsedRequest, PoolRoute, ProxyCall } from './types'

/** One tap that feeds both: an endpoint's own (the Responses session capture) and the request log's. */
function bothTaps(a: AnswerTap | undefined, b: AnswerTap | undefined): AnswerTap | undefined {
  if (!a || !b) return a ?? b
  return {
    frames(chunk, converted) {
      a.frames(chunk, converted)
      b.frames(chunk, converted)
    },
    body(chunk) {
      a.body(chunk)
      b.body(chunk)
    },
  }
}

/** The pool's channels in a config snapshot, each with its keys in their runtime order. */
function poolChannels(call: ProxyCall, route: PoolRoute, config: Config): StoredChannel[] {
  return call.services.keyOrder.apply(route.pool, (config[POOLS[route.pool].channels] ?? []) as StoredChannel[]) as StoredChannel[]
}

/** Starts the scheduler's routing for a request over the pool's channels. */
function beginRouting(call: ProxyCall, req: ParsedRequest, route: PoolRoute, config: Config, channels: StoredChannel[]): RequestRouting {
  const pool = POOLS[route.pool]
  return call.services.scheduler.begin({
    pool: route.pool,
    serviceTypes: Object.keys(route.channels),
    channels,
    strategy: config[pool.strategy] ?? config.loadBalance,
    failover: config.failover,
    affinityKey: extractAffinityKey(route.pool, req.json, req.headers),
    model: req.model,
    observeOnly: route.observeOnly,
  })
}

/**
 * Forwards a parsed request to the pool's channels and answers the client: aborts the upstream
 * when the client goes away (on the response's `close`, which h3 v1's own stream helpers miss
 * for POST bodies), answers "no channel" with a 503 that says what to configure, stores what
 * the routing learnt (key order) and writes the console lines.
 */
export async function forwardToPool(call: ProxyCall, route: PoolRoute, hooks: ForwardHooks = {}): Promise<ForwardResult> {
  const { fallback } = hooks
  const { services, event } = call
  const req = call.body!
  const { env } = services
  const res = event.node.res
  const started = performance.now()
  const ac = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) ac.abort()
  })
  if (env.enableRequestLogs) log.info(`-> POST /v1/${route.endpoint} model=${req.model} stream=${req.stream} id=${call.id}`)
  // One snapshot for the channels and the strategy, so a reload in between cannot mix two configs.
  const { config } = services.config.get()
  const channels = poolChannels(call, route, config)
  const logger = startRequestLog(call, route, channels)
  const routing = beginRouting(call, req, route, config, channels)
  const result = await runFailoverLoop({
    req, res, routing, ep: route,
    requestTimeoutMs: env.requestTimeoutMs,
    firstByteTimeoutMs: env.firstByteTimeoutMs,
    maxAttempts: env.maxAttempts,
    pingMs: env.streamPingMs,
    signal: ac.signal,
    limits: services.outputLimits,
    tap: bothTaps(hooks.tap, logger?.tap),
    requestFor: hooks.requestFor,
  })
  const moves = routing.keyMoves()
  if (moves.length) services.keyOrder.demote(moves)
  const handled = (result.end === 'no-channel' || result.end === 'upstream-error') && fallback?.(result)
  if (!handled && result.failure) sendFailure(res, result.failure)
  else if (!handled && result.end === 'no-channel') sendFailure(res, { status: 503, headers: {}, body: protocolErrorBody(route.protocol, 503, route.noChannelHint) })
  // The console line, the request log and the caller get the status the client was sent, whoever answered.
  if (res.headersSent) result.status = res.statusCode
  logger?.finish(result, routing)
  if (env.enableResponseLogs) {
    const ms = (performance.now() - started).toFixed(1)
    const u = result.usage
    const usage = u ? ` tokens in=${u.inputTokens} cache_read=${u.cacheReadInputTokens} cache_write=${u.cacheCreationInputTokens} out=${u.outputTokens}${u.estimated ? ' (estimated)' : ''}` : ''
    log.info(`<- ${result.status} /v1/${route.endpoint} ${ms}ms ${result.end}${result.chain ? ` [${result.chain}]` : ''}${usage} id=${call.id}`)
  }
  return result
}

import type { H3Event } from 'h3'
import type { PoolName } from '#shared/schemas/config'
import { protocolErrorBody, type ClientProtocol } from '../http/protocol-error'
import { log } from '../log'
import type { RequestRouting, RoutingRequest } from '../scheduler/types'
import type { SseDialect } from '../sse/protocols'
import { forward, type ForwardResult } from './forward'
import { BadRequestError, parseRequest, type ParsedRequest } from './parse-request'
import type { OutputLimits } from './output-limits'
import type { ChannelRoute } from './plan'
import { BodyTooLargeError, readBodyLimited } from './read-body'
import { sendFailure } from './respond'

/** One public endpoint: its pool, its protocol and how it reaches each channel type. */
export interface ProxyEndpoint {
  pool: PoolName
  /** Path after `/v1/` on a passthrough upstream. */
  endpoint: string
  protocol: ClientProtocol
  /** The client protocol's SSE (ping and error frames). */
  sse: SseDialect
  /** Channel service types this endpoint can use, and how: the keys are what routing may pick. */
  channels: Record<string, ChannelRoute>
  /** What to say when no channel could take the request at all. */
  noChannelHint: string
  /** Route without teaching the pool anything (see `RoutingRequest.observeOnly`). */
  observeOnly?: boolean
}

export interface ProxyDeps {
  maxRequestBodyBytes: number
  requestTimeoutMs: number
  pingMs: number
  logRequests: boolean
  logResponses: boolean
  /** Builds the routing for a parsed request (config snapshot + scheduler). */
  route: (req: ParsedRequest, base: Pick<RoutingRequest, 'pool' | 'serviceTypes' | 'observeOnly'>) => RequestRouting
  /** Output-token limits learnt from upstream refusals, shared by every request. */
  outputLimits: OutputLimits
  /** Runs after the response is done: persists what the routing learned (key order). */
  afterRouting: (routing: RequestRouting) => void
}

/** An error cc-bridge itself answers, in the caller's protocol shape. */
function sendError(event: H3Event, protocol: ClientProtocol, status: number, message: string): void {
  sendFailure(event.node.res, { status, headers: {}, body: protocolErrorBody(protocol, status, message) })
}

/** Reads and parses the body once, answering bad input in the caller's protocol shape. */
export async function readProxyRequest(event: H3Event, protocol: ClientProtocol, limit: number, requireModel = true): Promise<ParsedRequest | undefined> {
  const req = event.node.req
  try {
    const raw = await readBodyLimited(req, limit)
    const q = event.path.indexOf('?')
    return parseRequest(raw, req.headers, q < 0 ? '' : event.path.slice(q), requireModel)
  }
  catch (err) {
    if (err instanceof BodyTooLargeError) {
      event.node.res.setHeader('connection', 'close')
      sendError(event, protocol, 413, err.message)
    }
    else if (err instanceof BadRequestError) sendError(event, protocol, 400, err.message)
    else sendError(event, protocol, 400, `Could not read the request body: ${(err as Error).message}`)
    return undefined
  }
}

/**
 * Wires a parsed request to the routing and the upstream: aborts the upstream when the client
 * goes away (on the response's `close`, which h3 v1's own stream helpers miss for POST bodies),
 * answers "no channel" with a 503 that says what to configure, and writes the console lines.
 */
export async function proxyParsed(
  event: H3Event,
  req: ParsedRequest,
  ep: ProxyEndpoint,
  deps: ProxyDeps,
  /** Answers instead of the upstream error or the 503 when it returns true (count_tokens' estimate). */
  fallback?: (result: ForwardResult) => boolean,
): Promise<ForwardResult> {
  const res = event.node.res
  const started = performance.now()
  const ac = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) ac.abort()
  })
  if (deps.logRequests) log.info(`-> POST /v1/${ep.endpoint} model=${req.model} stream=${req.stream}`)
  const routing = deps.route(req, { pool: ep.pool, serviceTypes: Object.keys(ep.channels), observeOnly: ep.observeOnly })
  const result = await forward({ req, res, routing, ep, requestTimeoutMs: deps.requestTimeoutMs, pingMs: deps.pingMs, signal: ac.signal, limits: deps.outputLimits })
  deps.afterRouting(routing)
  const handled = (result.end === 'no-channel' || result.end === 'upstream-error') && fallback?.(result)
  if (!handled && result.failure) sendFailure(res, result.failure)
  else if (!handled && result.end === 'no-channel') sendError(event, ep.protocol, 503, ep.noChannelHint)
  if (deps.logResponses) {
    const ms = (performance.now() - started).toFixed(1)
    const u = result.usage
    const usage = u ? ` tokens in=${u.inputTokens} cache_read=${u.cacheReadInputTokens} cache_write=${u.cacheCreationInputTokens} out=${u.outputTokens}${u.estimated ? ' (estimated)' : ''}` : ''
    log.info(`<- ${result.status} /v1/${ep.endpoint} ${ms}ms ${result.end}${result.chain ? ` [${result.chain}]` : ''}${usage}`)
  }
  return result
}

import type { IncomingHttpHeaders } from 'node:http'
import type { H3Event } from 'h3'
import type { Dispatcher } from 'undici'
import type { PoolName } from '#shared/schemas/config'
import type { ConvertContext, ProtocolConverter, Usage } from '#server/utils/convert/types'
import type { ClientProtocol } from '#server/utils/http/protocol-error'
import type { AttemptOutcome, AttemptTarget } from '#server/utils/scheduler/types'
import type { Services } from '#server/utils/services'
import type { Prelude } from '#server/utils/sse/prelude'
import type { SseDialect } from '#server/utils/sse/protocols'
import type { UpstreamProtocol } from '#server/utils/upstream/headers'

// The proxy's shared types, at the bottom of server/utils/proxy: every module of the folder
// imports from here, and nothing here imports back from the folder.

/** A client request parsed once: the raw bytes are what gets forwarded (decode them where text is needed). */
export interface ParsedRequest {
  raw: Buffer
  json: Record<string, unknown>
  model: string
  stream: boolean
  headers: IncomingHttpHeaders
  /** The inbound query string (`?beta=true`) without credentials, kept on the upstream URL. */
  search: string
}

/** One request on its way through the pipeline. */
export interface ProxyCall {
  event: H3Event
  services: Services
  endpoint: ProxyEndpoint
  /** The request id, sent back as `x-request-id`. */
  id: string
  /** The parsed body, for endpoints that take one. */
  body?: ParsedRequest
}

/** Runs around the endpoint's handler; calls `next()` to go on (or answers and returns). */
export type ProxyMiddleware = (call: ProxyCall, next: () => Promise<void>) => Promise<void>

/** One row of the proxy endpoint table: what the fast path and the Nitro routes both serve. */
export interface ProxyEndpoint {
  method: string
  /** The canonical path, e.g. `/v1/messages`. */
  path: string
  /** The protocol its clients speak: every error on it comes in this shape. */
  protocol: ClientProtocol
  /** Whether the pipeline reads and parses a JSON body (with the body limit) before the handler. */
  body?: { requireModel: boolean }
  handler: (call: ProxyCall) => Promise<void>
}

/** How one client endpoint talks to one channel type. */
export type ChannelRoute
  = | { kind: 'passthrough' }
    | { kind: 'convert', converter: ProtocolConverter, upstream: UpstreamProtocol, upstreamSse: SseDialect }

/** How a forwarding endpoint reaches its pool: the pool, its protocol and each channel type's route. */
export interface PoolRoute {
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

/** Everything one upstream call needs, built per attempt because each channel maps differently. */
export interface AttemptPlan {
  url: string
  headers: Record<string, string | string[]>
  body: Buffer | string
  /** The upstream's SSE dialect, to spot an error that arrives as the first event. */
  upstreamSse: SseDialect
  /** Set when the request is converted; responses go back through it. */
  convert?: { converter: ProtocolConverter, ctx: ConvertContext }
  /** The model as the channel sees it (after mapping). */
  upstreamModel: string
  /** The output-token budget sent upstream, when the request has one. */
  maxTokens?: number
}

/** An error answer for the client, already in its protocol's shape. */
export interface Failure {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** How one upstream call went, before anything reached the client. */
export type Attempt
  /**
   * `prelude` for a stream (up to its first event); `head` otherwise: the bytes read to see
   * that the body is JSON, relayed before the rest.
   */
  = | { ok: true, response: Dispatcher.ResponseData, prelude?: Prelude, head?: Buffer }
  /** `outOfBudget`: the request's time budget ran out, so nothing else is tried. */
    | { ok: false, failure: Failure, outcome: AttemptOutcome, outOfBudget?: boolean }

/**
 * Sees a successful answer as it goes to the client, in the client's protocol (the Responses
 * session store reads the response it has to keep from here).
 */
export interface AnswerTap {
  /**
   * Whole SSE events of a stream, as written (never part of an event). `converted`: written by a
   * converter, which reports the answer's usage itself (`ForwardResult.usage`).
   */
  frames(chunk: string | Buffer, converted: boolean): void
  /** A piece of a non-streaming body, as written. */
  body(chunk: string | Buffer): void
}

/** What an endpoint may add to the pool's forwarding. */
export interface ForwardHooks {
  /** Answers instead of the upstream error or the 503 when it returns true (count_tokens' estimate). */
  fallback?: (result: ForwardResult) => boolean
  /** Sees the answer that reaches the client. */
  tap?: AnswerTap
  /**
   * The request to send to one target, when it differs per channel (a Responses conversation
   * sent inline to a channel that never saw its previous response). The parsed request otherwise.
   */
  requestFor?: (target: AttemptTarget) => ParsedRequest
}

/** How a forwarded request ended, as the console response line reports it. */
export interface ForwardResult {
  status: number
  channel?: string
  /** The id of the channel that answered (with `completed`, `stream-failed` and `client-abort`). */
  channelId?: string
  chain: string
  end: 'completed' | 'upstream-error' | 'client-abort' | 'stream-failed' | 'no-channel'
  /** With `upstream-error`: the last error answer, not yet sent (see `sendFailure`). */
  failure?: Failure
  /** Token usage where a converter counted it (passthrough relays bytes without parsing them). */
  usage?: Usage
}

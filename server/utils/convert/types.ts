/**
 * Converters are pure and keyed by (client protocol, channel protocol): adding a pair is adding
 * files, not branches in the proxy. No I/O, no Nitro globals — they are tested and benchmarked
 * alone with recorded fixtures.
 */

/** A JSON object as parsed from a request or response body. */
export type JsonObject = Record<string, unknown>

/**
 * Mints the ids a converter makes up: Anthropic's `msg_…` / `toolu_…`, and for Responses clients
 * `resp_…` (response), `rs_…` (reasoning item), `fc_…` / `ctc_…` (function / custom tool call
 * item) and `call_…` (a call id the upstream did not send).
 */
export type NewId = (prefix: 'msg' | 'toolu' | 'resp' | 'rs' | 'fc' | 'ctc' | 'call') => string

/** Per-request facts a converter needs beyond the body. */
export interface ConvertContext {
  /** The model the client asked for (what responses should report back). */
  requestModel: string
  /** The model sent upstream after the channel's model mapping. */
  upstreamModel: string
  /** Whether the client asked for a stream. */
  stream: boolean
  /** Chat clients' `stream_options.include_usage`: send a usage chunk before `[DONE]`. */
  includeUsage?: boolean
}

/**
 * A client request the target protocol cannot express (e.g. `n > 1` for Anthropic). The proxy
 * answers it with a 400 in the client's shape and does not count it against the channel.
 */
export class InvalidRequestError extends Error {
  readonly status = 400

  constructor(message: string, readonly param: string | null = null, readonly code: string | null = null) {
    super(message)
    this.name = 'InvalidRequestError'
  }
}

/** One SSE event as the upstream sent it (`event:` name when present, `data:` joined). */
export interface SseEvent {
  event?: string
  data: string
}

/** Token usage in Anthropic's terms (input excludes cache traffic), for logs and cost. */
export interface Usage {
  inputTokens: number
  outputTokens: number
  cacheReadInputTokens: number
  cacheCreationInputTokens: number
  /** Reasoning tokens, part of `outputTokens`, where the upstream reported them. */
  reasoningTokens?: number
  /** The part of `cacheCreationInputTokens` written for an hour (priced higher than 5-minute writes), where reported. */
  cacheCreation1hInputTokens?: number
  /** True when the upstream reported no usage and these numbers are an estimate. */
  estimated: boolean
}

/**
 * Turns an upstream event stream into the client's protocol, event by event. Output is whole SSE
 * frames as text (`event: …\ndata: …\n\n`), ready to write; frames are emitted as soon as the
 * input allows (never buffered to the end), so tool arguments stream as they arrive.
 */
export interface StreamConverter {
  /** Frames to send before any upstream event (e.g. Anthropic `message_start`); may be empty. */
  start(): string[]
  /** One upstream event in, zero or more client frames out. */
  push(event: SseEvent): string[]
  /**
   * The upstream body ended. Returns the closing frames: a proper end when the upstream reached
   * its terminal state, otherwise the client protocol's error event (never a clean-looking
   * truncation).
   */
  end(): string[]
  /** The client protocol's error frame for a failure after the first byte. */
  fail(message: string): string[]
  /** True once the upstream's terminal state was seen (finish reason / message_stop / [DONE]). */
  readonly finished: boolean
  /** Usage so far (final once `finished`). */
  usage(): Usage
}

/** An upstream error answer converted into the client protocol's status and body. */
export interface ConvertedError {
  status: number
  body: string
}

/** Everything needed to talk to one channel protocol from one client protocol. */
export interface ProtocolConverter {
  /** Path after `/v1/` on the upstream, e.g. `chat/completions`. */
  endpoint: string
  /** Client request body → upstream request body (the model already mapped in `ctx`). */
  request(body: JsonObject, ctx: ConvertContext): JsonObject
  /** Upstream non-streaming response body → client response body. */
  response(body: JsonObject, ctx: ConvertContext): JsonObject
  /** Usage of an upstream non-streaming response body, in Anthropic's terms. */
  usage(body: JsonObject): Usage
  /** A fresh stream converter for one response. */
  stream(ctx: ConvertContext): StreamConverter
  /** Upstream error (status + raw body) → client protocol's error. */
  error(status: number, body: string): ConvertedError
}

import { randomId } from '../random-id'
import type { ConvertContext, ConvertedError, JsonObject, NewId, ProtocolConverter, StreamConverter, Usage } from '../types'
import type { ConvertedRequest } from './request'
import type { RequestFacts, ResponsesConverterOptions } from './types'

/** Ids and clock of one converter instance. */
export interface Minting {
  newId: NewId
  now: () => number
}

/** The channel-specific half of a Responses-client converter. */
export interface ChannelConversion {
  endpoint: string
  request(body: JsonObject, ctx: ConvertContext): ConvertedRequest
  response(body: JsonObject, ctx: ConvertContext, facts: RequestFacts, mint: Minting): JsonObject
  usage(body: JsonObject): Usage
  stream(ctx: ConvertContext, facts: RequestFacts, mint: Minting): StreamConverter
  error(status: number, body: string): ConvertedError
}

const NO_FACTS: RequestFacts = { customTools: new Set() }

/**
 * Wires a channel conversion into a {@link ProtocolConverter}: reports each request's warnings,
 * and remembers per request (keyed by its `ctx` object, which the proxy hands to `request` and
 * then to `response` / `stream`) which tools were custom, so their calls go back to the client
 * as `custom_tool_call` items. The memory is weak: it goes with the request.
 */
export function responsesConverter(options: ResponsesConverterOptions, channel: ChannelConversion): ProtocolConverter {
  const mint: Minting = { newId: options.newId ?? randomId, now: options.now ?? Date.now }
  const facts = new WeakMap<ConvertContext, RequestFacts>()
  return {
    endpoint: channel.endpoint,
    request(body, ctx) {
      const converted = channel.request(body, ctx)
      facts.set(ctx, converted.facts)
      for (const warning of converted.warnings) options.onWarning?.(warning, ctx)
      return converted.body
    },
    response: (body, ctx) => channel.response(body, ctx, facts.get(ctx) ?? NO_FACTS, mint),
    usage: body => channel.usage(body),
    stream: ctx => channel.stream(ctx, facts.get(ctx) ?? NO_FACTS, mint),
    error: (status, body) => channel.error(status, body),
  }
}

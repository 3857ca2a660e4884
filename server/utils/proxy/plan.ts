import type { ProtocolConverter, ConvertContext } from '../convert/types'
import type { AttemptTarget } from '../scheduler/types'
import type { SseDialect } from '../sse/protocols'
import { buildConvertedHeaders, buildUpstreamHeaders, type UpstreamProtocol } from '../upstream/headers'
import { mapModel } from '../upstream/model-mapping'
import { joinUpstreamUrl } from '../upstream/url'
import type { ProxyEndpoint } from './handle'
import { replaceTopLevelString } from './json-field'
import type { ParsedRequest } from './parse-request'
import { dropUnsignedThinking } from './unsigned-thinking'

/** How one client endpoint talks to one channel type. */
export type ChannelRoute
  = | { kind: 'passthrough' }
    | { kind: 'convert', converter: ProtocolConverter, upstream: UpstreamProtocol, upstreamSse: SseDialect }

/** Everything one upstream call needs, built per attempt because each channel maps differently. */
export interface AttemptPlan {
  url: string
  headers: Record<string, string | string[]>
  body: Buffer | string
  /** The upstream's SSE dialect, to spot an error that arrives as the first event. */
  upstreamSse: SseDialect
  /** Set when the request is converted; responses go back through it. */
  convert?: { converter: ProtocolConverter, ctx: ConvertContext }
}

/**
 * Builds the upstream request for a target. Passthrough forwards the client's bytes with only
 * `model` rewritten (and the client's headers, query and all); conversion builds a new body and
 * a minimal header set in the channel's protocol. A converter throws `InvalidRequestError`
 * for input its target cannot express.
 */
export function planAttempt(ep: ProxyEndpoint, req: ParsedRequest, target: AttemptTarget): AttemptPlan {
  const { channel } = target
  const route = ep.channels[channel.serviceType]
  const upstreamModel = mapModel(req.model, channel.modelMapping)
  if (!route || route.kind === 'passthrough') {
    const scrubbed = ep.protocol === 'anthropic' ? dropUnsignedThinking(req.text, req.json, upstreamModel) : undefined
    return {
      url: joinUpstreamUrl(channel.baseUrl, ep.endpoint, req.search),
      headers: buildUpstreamHeaders(req.headers, target.key),
      body: scrubbed ?? (upstreamModel === req.model ? req.raw : replaceTopLevelString(req.text, 'model', upstreamModel)),
      upstreamSse: ep.sse,
    }
  }
  const options = req.json.stream_options as { include_usage?: unknown } | undefined
  const ctx: ConvertContext = { requestModel: req.model, upstreamModel, stream: req.stream, includeUsage: options?.include_usage === true }
  return {
    url: joinUpstreamUrl(channel.baseUrl, route.converter.endpoint),
    headers: buildConvertedHeaders(req.headers, target.key, route.upstream, req.stream),
    body: JSON.stringify(route.converter.request(req.json, ctx)),
    upstreamSse: route.upstreamSse,
    convert: { converter: route.converter, ctx },
  }
}

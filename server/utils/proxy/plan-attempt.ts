import type { ConvertContext } from '#server/utils/convert/types'
import type { AttemptTarget } from '#server/utils/scheduler/types'
import { buildConvertedHeaders, buildUpstreamHeaders } from '#server/utils/upstream/headers'
import { mapModel } from '#server/utils/upstream/model-mapping'
import { joinUpstreamUrl } from '#server/utils/upstream/url'
import { replaceTopLevelValue } from './replace-json-value'
import type { AttemptPlan, ParsedRequest, PoolRoute } from './types'
import { dropUnsignedThinking } from './unsigned-thinking'

/** The fields that carry the output budget: Anthropic's, and Chat's newer and older names. */
const MAX_TOKEN_FIELDS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const

function maxTokensOf(body: Record<string, unknown>): number | undefined {
  for (const field of MAX_TOKEN_FIELDS) {
    if (typeof body[field] === 'number') return body[field] as number
  }
  return undefined
}

/** Passthrough keeps the client's bytes; only the fields that must change are rewritten. */
function passthroughBody(ep: PoolRoute, req: ParsedRequest, upstreamModel: string, limit: number | undefined): Buffer | string {
  const scrubbed = ep.protocol === 'anthropic' ? dropUnsignedThinking(req.json, upstreamModel) : undefined
  let body: Buffer | string = scrubbed ?? (upstreamModel === req.model ? req.raw : replaceTopLevelValue(req.raw.toString('utf8'), 'model', upstreamModel))
  const requested = maxTokensOf(req.json)
  if (limit !== undefined && requested !== undefined && requested > limit) {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    body = MAX_TOKEN_FIELDS.reduce((t, field) => replaceTopLevelValue(t, field, limit), text)
  }
  return body
}

/**
 * Builds the upstream request for a target. Passthrough forwards the client's bytes with only
 * `model` rewritten (and the client's headers, query and all); conversion builds a new body and
 * a minimal header set in the channel's protocol. A known output limit of the channel's model
 * (`outputLimit`, learnt from its refusals) caps the output budget. A converter throws
 * `InvalidRequestError` for input its target cannot express.
 */
export function planAttempt(ep: PoolRoute, req: ParsedRequest, target: AttemptTarget, outputLimit: (model: string) => number | undefined): AttemptPlan {
  const { channel } = target
  const route = ep.channels[channel.serviceType]
  const upstreamModel = mapModel(req.model, channel.modelMapping)
  const limit = outputLimit(upstreamModel)
  if (!route || route.kind === 'passthrough') {
    const requested = maxTokensOf(req.json)
    return {
      url: joinUpstreamUrl(channel.baseUrl, ep.endpoint, req.search),
      headers: buildUpstreamHeaders(req.headers, target.key),
      body: passthroughBody(ep, req, upstreamModel, limit),
      upstreamSse: ep.sse,
      upstreamModel,
      maxTokens: limit !== undefined && requested !== undefined ? Math.min(requested, limit) : requested,
    }
  }
  const options = req.json.stream_options as { include_usage?: unknown } | undefined
  const ctx: ConvertContext = { requestModel: req.model, upstreamModel, stream: req.stream, includeUsage: options?.include_usage === true }
  const body = route.converter.request(req.json, ctx)
  for (const field of MAX_TOKEN_FIELDS) {
    if (limit !== undefined && typeof body[field] === 'number' && body[field] > limit) body[field] = limit
  }
  return {
    url: joinUpstreamUrl(channel.baseUrl, route.converter.endpoint),
    headers: buildConvertedHeaders(req.headers, target.key, route.upstream, req.stream),
    body: JSON.stringify(body),
    upstreamSse: route.upstreamSse,
    convert: { converter: route.converter, ctx },
    upstreamModel,
    maxTokens: maxTokensOf(body),
  }
}

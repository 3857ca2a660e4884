import { z } from 'zod'

/**
 * The `.config/config.json` layout, shared with the Go cc-bridge so its users can point us at
 * their existing folder. Objects are loose: fields we do not use yet (quotas, composite
 * mappings, OAuth tokens, …) survive a load/save round trip untouched. Field order follows the
 * Go structs so a file we save diffs cleanly against one Go wrote.
 */

export const SERVICE_TYPES = ['claude', 'openai', 'openai_chat', 'openaiold', 'gemini', 'responses', 'openai-oauth', 'composite'] as const
export const ServiceTypeSchema = z.enum(SERVICE_TYPES)

export const CHANNEL_STATUSES = ['active', 'suspended', 'disabled'] as const
export const ChannelStatusSchema = z.enum(CHANNEL_STATUSES)
export type ChannelStatus = z.infer<typeof ChannelStatusSchema>

export const LOAD_BALANCE_STRATEGIES = ['failover', 'round-robin', 'random'] as const
export const LoadBalanceSchema = z.enum(LOAD_BALANCE_STRATEGIES)
export type LoadBalance = z.infer<typeof LoadBalanceSchema>

export const PriceMultiplierSchema = z.looseObject({
  inputMultiplier: z.number().nonnegative().optional(),
  outputMultiplier: z.number().nonnegative().optional(),
  cacheCreationMultiplier: z.number().nonnegative().optional(),
  cacheReadMultiplier: z.number().nonnegative().optional(),
})

/** Channel ids are 8 lowercase hex characters when we mint them; Go configs may carry others. */
export const ChannelIdSchema = z.string().trim().min(1).max(64)
  .refine(id => !id.startsWith('__invalid_'), 'must not start with __invalid_')

const httpUrl = z.string().trim().refine((v) => {
  if (v === '') return true
  try {
    const u = new URL(v)
    return u.protocol === 'http:' || u.protocol === 'https:'
  }
  catch {
    return false
  }
}, 'must be an http(s) URL')

/** Go writes `""` for an unset status or key strategy, so the empty string stays valid. */
const channelFields = {
  id: ChannelIdSchema,
  baseUrl: httpUrl,
  apiKeys: z.array(z.string()),
  serviceType: ServiceTypeSchema,
  name: z.string().trim(),
  description: z.string(),
  website: z.string(),
  insecureSkipVerify: z.boolean(),
  modelMapping: z.record(z.string(), z.string()),
  responseHeaderTimeout: z.number().int().nonnegative(),
  priority: z.number().int(),
  status: z.enum([...CHANNEL_STATUSES, '']),
  promotionUntil: z.string().nullable(),
  priceMultipliers: z.record(z.string(), PriceMultiplierSchema),
  keyLoadBalance: z.enum([...LOAD_BALANCE_STRATEGIES, '']),
}

/** Every channel field optional and without defaults, so a partial update never resets a field. */
const optionalChannelFields = z.object(channelFields).partial().shape

/** One channel (the Go cc-bridge's `UpstreamConfig`), as stored in config.json. */
export const ChannelSchema = z.looseObject({
  ...optionalChannelFields,
  baseUrl: httpUrl.default(''),
  // Go marshals an empty key list as null (composite and OAuth channels).
  apiKeys: z.array(z.string()).nullish().transform(v => v ?? []),
  serviceType: ServiceTypeSchema,
  // Go omits an empty name; the admin API is what insists on one.
  name: z.string().trim().default(''),
})
export type Channel = z.infer<typeof ChannelSchema>
/** A channel after load: the id is always present. */
export type StoredChannel = Channel & { id: string }

/** Fields only the list view carries; dropped when a client sends a view back as a channel. */
export const VIEW_ONLY_FIELDS = ['index', 'apiKeyCount', 'maskedKeys', 'latency'] as const
/** Stored fields that never leave the server. */
export const SECRET_CHANNEL_FIELDS = ['apiKeys', 'oauthTokens'] as const

const viewOnly = new Set<string>(VIEW_ONLY_FIELDS)

function dropViewFields<T extends Record<string, unknown>>(channel: T): T {
  return Object.fromEntries(Object.entries(channel).filter(([field]) => !viewOnly.has(field))) as T
}

const apiKeySchema = z.string().trim().min(1, 'API key must not be empty')

/** Body of `POST /api/channels`: a full channel; name and service type required. */
export const ChannelCreateSchema = z.looseObject({
  ...optionalChannelFields,
  baseUrl: httpUrl.default(''),
  apiKeys: z.array(apiKeySchema).default([]),
  serviceType: ServiceTypeSchema,
  name: z.string().trim().min(1, 'name is required').max(200),
  status: channelFields.status.optional().transform((s): ChannelStatus => s || 'active'),
  /** Messages-pool `responses` channels may copy baseUrl and keys from a responses-pool channel. */
  importFromResponsesChannelId: z.string().trim().min(1).optional(),
}).transform(dropViewFields)
export type ChannelCreate = z.output<typeof ChannelCreateSchema>

/** Body of `PUT /api/channels/:id`: any channel field, each optional; maps are replaced whole. */
export const ChannelUpdateSchema = z.looseObject({
  ...optionalChannelFields,
  apiKeys: z.array(apiKeySchema).optional(),
  name: z.string().trim().min(1, 'name is required').max(200).optional(),
}).transform((patch) => {
  // A channel keeps its id for life (metrics, logs and composites refer to it); Go ignores it too.
  const { id: _id, ...rest } = dropViewFields(patch)
  return rest
})
export type ChannelUpdate = z.output<typeof ChannelUpdateSchema>

export const FailoverActionSchema = z.looseObject({
  action: z.enum(['retry', 'failover', 'suspend', 'none']),
  waitSeconds: z.number().int().nonnegative().optional(),
  maxAttempts: z.number().int().nonnegative().optional(),
})

export const FailoverRuleSchema = z.looseObject({
  errorCodes: z.string().trim().min(1, 'errorCodes is required'),
  actionChain: z.array(FailoverActionSchema).min(1).optional(),
})

export const FailoverConfigSchema = z.looseObject({
  enabled: z.boolean().default(false),
  // Go marshals an empty rule list as null.
  rules: z.array(FailoverRuleSchema).nullish().transform(v => v ?? []),
  genericResourceWaitSeconds: z.number().int().nonnegative().optional(),
  modelCooldownExtraSeconds: z.number().int().nonnegative().optional(),
  modelCooldownMaxWaitSeconds: z.number().int().nonnegative().optional(),
})
export type FailoverConfig = z.infer<typeof FailoverConfigSchema>

/** Go writes `null` for a pool it never filled. */
const channelList = z.array(ChannelSchema).nullish().transform(v => v ?? [])
/** Go writes `""` for a pool strategy it never set. */
const strategy = z.preprocess(v => (v === '' || v === null ? undefined : v), LoadBalanceSchema.default('failover'))

/** The whole config.json. Every pool and strategy has a default, so `{}` is a valid file. */
export const ConfigSchema = z.looseObject({
  upstream: channelList,
  loadBalance: strategy,
  responsesUpstream: channelList,
  responsesLoadBalance: strategy,
  geminiUpstream: channelList,
  geminiLoadBalance: strategy,
  chatUpstream: channelList,
  chatLoadBalance: strategy,
  failover: FailoverConfigSchema.optional(),
})
export type Config = z.infer<typeof ConfigSchema>

/** Every config key that holds channels; channel ids are unique across all of them. */
export const CHANNEL_POOL_KEYS = ['upstream', 'responsesUpstream', 'geminiUpstream', 'chatUpstream'] as const

/** The pools a client protocol routes to, with the config keys that hold them. */
export const POOLS = {
  messages: { channels: 'upstream', strategy: 'loadBalance' },
  responses: { channels: 'responsesUpstream', strategy: 'responsesLoadBalance' },
  chat: { channels: 'chatUpstream', strategy: 'chatLoadBalance' },
} as const
export type PoolName = keyof typeof POOLS

/** Body of `PUT /api/loadbalance` (and its pool twins). */
export const LoadBalanceBodySchema = z.object({ strategy: LoadBalanceSchema })

/** Body of `PATCH /api/channels/:id/status`; case-insensitive as in the Go cc-bridge. */
export const ChannelStatusBodySchema = z.object({
  status: z.string().transform(s => s.trim().toLowerCase()).pipe(ChannelStatusSchema),
})

/** Body of `POST /api/channels/:id/keys`. */
export const AddKeyBodySchema = z.object({ apiKey: apiKeySchema })

/** Body of `POST /api/channels/reorder`: channel indices (or ids) in their new order. */
export const ReorderBodySchema = z.object({
  order: z.array(z.union([z.number().int().nonnegative(), z.string().trim().min(1)])).min(1),
})

/** Masked view of a channel as the admin API returns it: never the full keys or OAuth tokens. */
export interface ChannelView extends Omit<Channel, 'apiKeys' | 'oauthTokens'> {
  // Channel is a loose object: Omit over its index signature drops the named fields, so the ones
  // the UI reads are restated here.
  index: number
  id: string
  name: string
  serviceType: Channel['serviceType']
  baseUrl: string
  promotionUntil?: string | null
  apiKeyCount: number
  maskedKeys: { index: number, masked: string }[]
  description: string
  website: string
  insecureSkipVerify: boolean
  responseHeaderTimeout: number
  modelMapping: Record<string, string>
  priceMultipliers: NonNullable<Channel['priceMultipliers']>
  latency: null
  status: ChannelStatus
  priority: number
  keyLoadBalance: LoadBalance | ''
}

/** `GET /api/channels` (and its pool twins). */
export interface ChannelListResponse {
  channels: ChannelView[]
  loadBalance: LoadBalance
}

/** What every channel mutation answers. */
export interface ChannelMutationResponse {
  success: true
  message: string
  id?: string
  index?: number
  status?: ChannelStatus
}

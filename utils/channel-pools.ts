import type { PoolName, SERVICE_TYPES } from '#shared/schemas/config'

type ServiceType = typeof SERVICE_TYPES[number]

/** What the UI needs to know about a pool: its admin API prefixes and the channel types it serves. */
export interface PoolMeta {
  name: PoolName
  /** `…/channels`, `…/channels/:id/…` */
  channels: string
  loadbalance: string
  ping: string
  icon: string
  /** Channel types the pool can route to, the first being the native one. */
  serviceTypes: ServiceType[]
}

export const POOL_META: Record<PoolName, PoolMeta> = {
  messages: {
    name: 'messages', channels: '/api/channels', loadbalance: '/api/loadbalance', ping: '/api/ping',
    icon: 'i-lucide-sparkles', serviceTypes: ['claude', 'openai', 'openaiold', 'responses'],
  },
  responses: {
    name: 'responses', channels: '/api/responses/channels', loadbalance: '/api/responses/loadbalance', ping: '/api/responses/ping',
    icon: 'i-lucide-terminal', serviceTypes: ['responses', 'openai', 'openaiold', 'claude'],
  },
  chat: {
    name: 'chat', channels: '/api/chat/channels', loadbalance: '/api/chat/loadbalance', ping: '/api/chat/ping',
    icon: 'i-lucide-bot', serviceTypes: ['openai', 'openai_chat', 'openaiold', 'claude'],
  },
}

export const POOL_NAMES = Object.keys(POOL_META) as PoolName[]

export function isPoolName(value: unknown): value is PoolName {
  return typeof value === 'string' && value in POOL_META
}

/** One icon per protocol family, the same as the pools': Claude sparkles, OpenAI bot, Codex terminal. */
const SERVICE_TYPE_ICONS: Record<string, string> = {
  'claude': 'i-lucide-sparkles',
  'openai': 'i-lucide-bot',
  'openai_chat': 'i-lucide-bot',
  'openaiold': 'i-lucide-bot',
  'responses': 'i-lucide-terminal',
  'openai-oauth': 'i-lucide-terminal',
  'gemini': 'i-lucide-gem',
  'composite': 'i-lucide-layers',
}

export function serviceTypeIcon(type: string): string {
  return SERVICE_TYPE_ICONS[type] ?? 'i-lucide-plug'
}

/** The host of a base URL, or the URL itself when it does not parse. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host
  }
  catch {
    return baseUrl
  }
}

import { anthropicSse } from '../sse/protocols'
import type { ProxyEndpoint } from './handle'

/** `POST /v1/messages`: Claude Messages, passed through to `claude` channels. */
export const MESSAGES: ProxyEndpoint = {
  pool: 'messages',
  endpoint: 'messages',
  protocol: 'anthropic',
  sse: anthropicSse,
  serviceTypes: ['claude'],
}

/** `POST /v1/messages/count_tokens`: passed through to `claude` channels, else estimated. */
export const COUNT_TOKENS: ProxyEndpoint = { ...MESSAGES, endpoint: 'messages/count_tokens' }

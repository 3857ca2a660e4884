import { randomId } from '#server/utils/convert/random-id'
import type { NewId, ProtocolConverter } from '#server/utils/convert/types'
import { chatErrorFromAnthropic } from './error'
import { convertRequest } from './request'
import { convertResponse, messageUsage } from './response'
import { createChatStream } from './stream'

/** Options of {@link createOpenAIToAnthropic}. */
export interface OpenAIToAnthropicOptions {
  /** Mints the `msg_…` id a `chatcmpl-` id is derived from when the upstream sent none; defaults to random ones. */
  newId?: NewId
  /** The clock for Chat's `created`, in ms since the epoch; defaults to `Date.now`. Tests inject a fixed one. */
  now?: () => number
}

/**
 * OpenAI Chat Completions client (`/v1/chat/completions`) → Anthropic Messages upstream
 * (`claude` channels). See each module for the mapping decisions. Pure: ids and time come from
 * the options, as in the other direction.
 */
export function createOpenAIToAnthropic(options: OpenAIToAnthropicOptions = {}): ProtocolConverter {
  const newId = options.newId ?? randomId
  const now = options.now ?? Date.now
  return {
    endpoint: 'messages',
    request: convertRequest,
    response: (body, ctx) => convertResponse(body, ctx, newId, now),
    usage: messageUsage,
    stream: ctx => createChatStream(ctx, newId, now),
    error: chatErrorFromAnthropic,
  }
}

/** The converter with random ids and the system clock. */
export const openaiToAnthropic: ProtocolConverter = createOpenAIToAnthropic()

import { randomId } from '../random-id'
import type { NewId, ProtocolConverter } from '../types'
import { anthropicErrorFromChat } from '../anthropic-to-openai/errors'
import { responsesRequest } from './request'
import { messageFromResponse, responseUsage } from './response'
import { responsesToAnthropicStream } from './stream'

/** Options of {@link createAnthropicToResponses}. */
export interface AnthropicToResponsesOptions {
  /** Mints `msg_…` / `toolu_…` ids; defaults to random ones. Tests inject a counter. */
  newId?: NewId
}

/**
 * Claude Code (Anthropic Messages client) → an OpenAI Responses channel (`/v1/responses`, GPT and
 * Codex models): request, non-streaming response, stream and error conversion. Errors reuse the
 * Chat converter's mapping, as Responses answers errors in the same `{"error":{…}}` shape.
 * Pure: no I/O, no Nitro globals; the clock is not needed (Anthropic messages carry no time).
 */
export function createAnthropicToResponses(options: AnthropicToResponsesOptions = {}): ProtocolConverter {
  const newId = options.newId ?? randomId
  return {
    endpoint: 'responses',
    request: responsesRequest,
    response: (body, ctx) => messageFromResponse(body, ctx, newId),
    usage: responseUsage,
    stream: ctx => responsesToAnthropicStream(ctx, newId),
    error: anthropicErrorFromChat,
  }
}

/** The converter with random ids. */
export const anthropicToResponses: ProtocolConverter = createAnthropicToResponses()

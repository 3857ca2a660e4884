import type { ProtocolConverter } from '../types'
import { chatErrorFromAnthropic } from '../openai-to-anthropic/error'
import { messageUsage } from '../openai-to-anthropic/response'
import { responsesConverter } from '../responses-common/converter'
import type { ResponsesConverterOptions } from '../responses-common/types'
import { anthropicRequest } from './request'
import { messageToResponse } from './response'
import { anthropicToResponsesStream } from './stream'

/** Options of {@link createResponsesToAnthropic}. */
export type ResponsesToAnthropicOptions = ResponsesConverterOptions

/**
 * Codex CLI and other Responses clients (`POST /v1/responses`) → an Anthropic Messages channel
 * (`claude`): request, non-streaming response, stream and error conversion. Errors take the
 * OpenAI shape the Chat client's converter uses: an overloaded Anthropic (529) answers 503
 * `server_error` / `server_is_overloaded`, which Codex retries like any 5xx. Pure: ids and clock
 * come from the options; left-out tools and items are reported through `onWarning`.
 */
export function createResponsesToAnthropic(options: ResponsesToAnthropicOptions = {}): ProtocolConverter {
  return responsesConverter(options, {
    endpoint: 'messages',
    request: (body, ctx) => anthropicRequest(body, ctx, options.compaction),
    response: messageToResponse,
    usage: messageUsage,
    stream: anthropicToResponsesStream,
    error: chatErrorFromAnthropic,
  })
}

/** The converter with random ids, the system clock and no warning sink. */
export const responsesToAnthropic: ProtocolConverter = createResponsesToAnthropic()

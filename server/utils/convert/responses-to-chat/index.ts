import type { ProtocolConverter } from '../types'
import { responsesConverter } from '../responses-common/converter'
import type { ResponsesConverterOptions } from '../responses-common/types'
import { responsesErrorFromChat } from './error'
import { responsesChatRequest } from './request'
import { chatToResponse, completionUsage } from './response'
import { chatToResponsesStream } from './stream'

/** Options of {@link createResponsesToChat}. */
export interface ResponsesToChatOptions extends ResponsesConverterOptions {
  /**
   * Replay reasoning summaries as `reasoning_content` (default true). DeepSeek-style thinking
   * models reject tool-call history without it; a few strict providers reject the field.
   */
  replayReasoning?: boolean
}

/**
 * Codex CLI and other Responses clients (`POST /v1/responses`) → an OpenAI Chat Completions
 * channel (`openai`: DeepSeek, Kimi, Qwen, vLLM, …): request, non-streaming response, stream and
 * error conversion. Pure: ids and clock come from the options; built-in tools and items the
 * channel cannot take are reported through `onWarning`.
 */
export function createResponsesToChat(options: ResponsesToChatOptions = {}): ProtocolConverter {
  const replayReasoning = options.replayReasoning ?? true
  return responsesConverter(options, {
    endpoint: 'chat/completions',
    request: (body, ctx) => responsesChatRequest(body, ctx, { replayReasoning, compaction: options.compaction }),
    response: chatToResponse,
    usage: completionUsage,
    stream: chatToResponsesStream,
    error: responsesErrorFromChat,
  })
}

/** The converter with random ids, the system clock, reasoning replay on and no warning sink. */
export const responsesToChat: ProtocolConverter = createResponsesToChat()

import { randomId } from '../random-id'
import type { NewId, ProtocolConverter } from '../types'
import { anthropicErrorFromChat } from './errors'
import { chatRequest } from './request'
import { anthropicMessage, chatCompletionUsage } from './response'
import { chatToAnthropicStream } from './stream'

/** Options of {@link createAnthropicToOpenAI}. */
export interface AnthropicToOpenAIOptions {
  /** Mints `msg_…` / `toolu_…` ids; defaults to random ones. Tests inject a counter. */
  newId?: NewId
  /**
   * Replay assistant `thinking` as `reasoning_content` (default true). DeepSeek-style thinking
   * models reject tool-call history without it; a few strict providers (Cerebras, Bedrock behind
   * LiteLLM) reject the field, so a channel may need it off.
   */
  replayReasoning?: boolean
}

/**
 * Claude Code (Anthropic Messages client) → an OpenAI Chat Completions channel: request,
 * non-streaming response, stream and error conversion. Pure: no I/O, no Nitro globals.
 */
export function createAnthropicToOpenAI(options: AnthropicToOpenAIOptions = {}): ProtocolConverter {
  const newId = options.newId ?? randomId
  const replayReasoning = options.replayReasoning ?? true
  return {
    endpoint: 'chat/completions',
    request: (body, ctx) => chatRequest(body, ctx, replayReasoning),
    response: (body, ctx) => anthropicMessage(body, ctx, newId),
    usage: chatCompletionUsage,
    stream: ctx => chatToAnthropicStream(ctx, newId),
    error: anthropicErrorFromChat,
  }
}

/** The converter with random ids and reasoning replay on. */
export const anthropicToOpenAI: ProtocolConverter = createAnthropicToOpenAI()

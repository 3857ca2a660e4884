import type { ProtocolConverter } from '../types'
import { chatErrorFromAnthropic } from './error'
import { convertRequest } from './request'
import { convertResponse, messageUsage } from './response'
import { createChatStream } from './stream'

/**
 * OpenAI Chat Completions client (`/v1/chat/completions`) → Anthropic Messages upstream
 * (`claude` channels). See each module for the mapping decisions.
 */
export const openaiToAnthropic: ProtocolConverter = {
  endpoint: 'messages',
  request: convertRequest,
  response: convertResponse,
  usage: messageUsage,
  stream: createChatStream,
  error: chatErrorFromAnthropic,
}

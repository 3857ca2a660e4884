import type { JsonObject } from '#server/utils/convert/types'
import { InvalidRequestError } from '#server/utils/convert/types'
import { hasText } from './json'
import { isObject } from '#server/utils/convert/values'

/** One Anthropic turn; roles alternate after conversion. */
export interface AnthropicTurn {
  role: 'user' | 'assistant'
  content: JsonObject[]
}

/** Chat `messages` split into Anthropic's top-level `system` and alternating turns. */
export interface ConvertedMessages {
  system: JsonObject[]
  messages: AnthropicTurn[]
}

const LEGAL_TOOL_ID = /^[\w-]+$/
const DATA_URL = /^data:([^;,]+)((?:;[^;,]*)*),(.*)$/s

/**
 * Converts Chat messages. `system` and `developer` messages — also ones in the middle of the
 * conversation — are hoisted in order into `system`, because Anthropic has no mid-conversation
 * system role. Consecutive `tool` messages become one user turn of `tool_result` blocks, and
 * consecutive same-role turns merge, since Anthropic wants strictly alternating turns.
 * Assistant `reasoning_content` is dropped: a thinking block cannot be replayed without
 * Anthropic's signature. Blank texts are skipped (Anthropic rejects them).
 */
export function convertMessages(input: unknown): ConvertedMessages {
  if (!Array.isArray(input)) throw new InvalidRequestError('messages must be an array', 'messages')
  const system: JsonObject[] = []
  const turns: AnthropicTurn[] = []
  input.forEach((message: unknown, i) => {
    const at = `messages[${i}]`
    if (!isObject(message)) throw new InvalidRequestError(`${at} must be an object`, at)
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textBlocks(message.content, at))
        break
      case 'user':
        appendTurn(turns, 'user', userBlocks(message.content, at))
        break
      case 'assistant':
        appendTurn(turns, 'assistant', assistantBlocks(message, at))
        break
      case 'tool':
        appendTurn(turns, 'user', [toolResult(message, at)])
        break
      default:
        throw new InvalidRequestError(`${at}.role '${String(message.role)}' is not supported`, `${at}.role`)
    }
  })
  if (!turns.length) throw new InvalidRequestError('messages must contain at least one user or assistant message', 'messages')
  return { system, messages: turns }
}

/**
 * Anthropic needs tool ids matching `[A-Za-z0-9_-]+`. Legal ids pass unchanged (so ids round-trip
 * to the client); others get their illegal characters replaced plus a hash of the original, the
 * same on the `tool_use` and the `tool_result`, so pairs still match.
 */
export function toolId(id: unknown): string {
  const text = typeof id === 'string' ? id : ''
  if (LEGAL_TOOL_ID.test(text)) return text
  return `${text.replace(/[^\w-]/g, '_')}_${fnv1a(text)}`
}

function fnv1a(text: string): string {
  let hash = 0x811C9DC5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** Adds blocks as a turn, merged into the last one of the same role (Anthropic wants turns to alternate). */
export function appendTurn(turns: AnthropicTurn[], role: AnthropicTurn['role'], blocks: JsonObject[]): void {
  if (!blocks.length) return
  const last = turns.at(-1)
  if (last?.role !== role) {
    turns.push({ role, content: blocks })
    return
  }
  last.content.push(...blocks)
  // Anthropic wants tool results first in a user turn; a client may put user text between the
  // assistant's tool calls and the tool messages.
  if (role === 'user') {
    const results = last.content.filter(block => block.type === 'tool_result')
    last.content = [...results, ...last.content.filter(block => block.type !== 'tool_result')]
  }
}

/** Text-only content (system, developer, tool): string or `text` parts. */
function textBlocks(content: unknown, at: string): JsonObject[] {
  if (content == null) return []
  if (typeof content === 'string') return hasText(content) ? [{ type: 'text', text: content }] : []
  if (!Array.isArray(content)) throw new InvalidRequestError(`${at}.content must be a string or an array of parts`, `${at}.content`)
  return content.flatMap((part: unknown, i) => {
    if (isObject(part) && part.type === 'text') return hasText(part.text) ? [{ type: 'text', text: part.text }] : []
    throw new InvalidRequestError(`${at}.content[${i}] must be a text part`, `${at}.content[${i}]`)
  })
}

function userBlocks(content: unknown, at: string): JsonObject[] {
  if (!Array.isArray(content)) return textBlocks(content, at)
  return content.flatMap((part: unknown, i): JsonObject[] => {
    const where = `${at}.content[${i}]`
    if (!isObject(part)) throw new InvalidRequestError(`${where} must be an object`, where)
    if (part.type === 'text') return hasText(part.text) ? [{ type: 'text', text: part.text }] : []
    if (part.type === 'image_url') return [imageBlock(part.image_url, where)]
    if (part.type === 'file') return [documentBlock(part.file, where)]
    throw new InvalidRequestError(`${where}: content part type '${String(part.type)}' is not supported by this channel`, where)
  })
}

function imageBlock(image: unknown, at: string): JsonObject {
  const url = isObject(image) ? image.url : image
  if (typeof url === 'string' && /^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } }
  const data = typeof url === 'string' ? base64DataUrl(url) : undefined
  if (!data) throw new InvalidRequestError(`${at}.image_url must be an http(s) URL or a base64 data URL`, `${at}.image_url`)
  return { type: 'image', source: { type: 'base64', media_type: data.mediaType, data: data.data } }
}

/** Only inline PDFs have an Anthropic equivalent; OpenAI file ids mean nothing upstream. */
function documentBlock(file: unknown, at: string): JsonObject {
  const data = isObject(file) && typeof file.file_data === 'string' ? base64DataUrl(file.file_data) : undefined
  if (data?.mediaType !== 'application/pdf') throw new InvalidRequestError(`${at}: only inline PDF files (file_data as a base64 data URL) are supported by this channel`, `${at}.file`)
  return { type: 'document', source: { type: 'base64', media_type: data.mediaType, data: data.data } }
}

/** The media type and data of a base64 data URL, or undefined for anything else. */
export function base64DataUrl(url: string): { mediaType: string, data: string } | undefined {
  const match = DATA_URL.exec(url)
  if (!match?.[2]?.split(';').includes('base64')) return undefined
  return { mediaType: match[1]!.toLowerCase(), data: match[3]! }
}

function assistantBlocks(message: JsonObject, at: string): JsonObject[] {
  const blocks = Array.isArray(message.content)
    ? message.content.flatMap((part: unknown, i) => assistantText(part, `${at}.content[${i}]`))
    : textBlocks(message.content, at)
  if (message.tool_calls == null) return blocks
  if (!Array.isArray(message.tool_calls)) throw new InvalidRequestError(`${at}.tool_calls must be an array`, `${at}.tool_calls`)
  return [...blocks, ...message.tool_calls.map((call: unknown, i) => toolUse(call, `${at}.tool_calls[${i}]`))]
}

/** A refusal part is what the assistant said; Anthropic has only text for it. */
function assistantText(part: unknown, at: string): JsonObject[] {
  if (!isObject(part) || (part.type !== 'text' && part.type !== 'refusal')) {
    throw new InvalidRequestError(`${at} must be a text or refusal part`, at)
  }
  const text = part.type === 'text' ? part.text : part.refusal
  return hasText(text) ? [{ type: 'text', text }] : []
}

function toolUse(call: unknown, at: string): JsonObject {
  if (!isObject(call) || (call.type ?? 'function') !== 'function' || !isObject(call.function) || typeof call.function.name !== 'string') {
    throw new InvalidRequestError(`${at} must be a function call with a name`, at)
  }
  return { type: 'tool_use', id: toolId(call.id), name: call.function.name, input: parseArguments(call.function.arguments) }
}

/**
 * Anthropic needs `input` as an object. Arguments that are not a JSON object (truncated by a
 * length stop, or edited by the client) become `{}` rather than failing the whole conversation.
 */
export function parseArguments(args: unknown): JsonObject {
  if (typeof args !== 'string') return isObject(args) ? args : {}
  try {
    const parsed: unknown = JSON.parse(args)
    return isObject(parsed) ? parsed : {}
  }
  catch {
    return {}
  }
}

function toolResult(message: JsonObject, at: string): JsonObject {
  const result: JsonObject = { type: 'tool_result', tool_use_id: toolId(message.tool_call_id) }
  if (typeof message.content === 'string') {
    // An empty output is legal for a tool, but not as an Anthropic text; omit `content` then.
    if (hasText(message.content)) result.content = message.content
    return result
  }
  const blocks = textBlocks(message.content, at)
  if (blocks.length) result.content = blocks
  return result
}

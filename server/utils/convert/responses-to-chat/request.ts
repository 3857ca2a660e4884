import type { ConvertContext, JsonObject } from '../types'
import { asObject, asString } from '../values'
import type { ConvertedRequest } from '../responses-common/request'
import { readResponsesRequest } from '../responses-common/request'
import type { CompactionHook, InputPart, ToolChoice, ToolSpec, Turn } from '../responses-common/types'
import { CUSTOM_INPUT } from '../responses-common/tools'

/** Tool messages cannot carry images or files, so they move to a user message that follows. */
const MOVED_NOTE = '[images or files from this tool output follow in the next user message]'
const JOIN = '\n\n'
/** OpenAI documents 64 characters for end-user ids. */
const MAX_USER_ID = 64

/**
 * Responses `reasoning.effort` → Chat `reasoning_effort`. `xhigh` is not a value most
 * OpenAI-compatible servers know; `high` is the deepest they all take.
 */
const EFFORTS: Record<string, string> = { none: 'none', minimal: 'minimal', low: 'low', medium: 'medium', high: 'high', xhigh: 'high' }

/** Options of the Chat request conversion. */
export interface ChatRequestOptions {
  replayReasoning: boolean
  compaction?: CompactionHook
}

/**
 * Responses request → Chat Completions request. Instructions and every system/developer message
 * form one leading system message; tool calls and outputs become `tool_calls` and `tool`
 * messages; reasoning summaries are replayed as `reasoning_content` (DeepSeek-style thinking
 * models reject a tool-call turn without it). Parameters with a Chat meaning are mapped, the rest
 * (`include`, `store`, `truncation`, `prompt_cache_key`, `client_metadata`) stay behind.
 */
export function responsesChatRequest(body: JsonObject, ctx: ConvertContext, options: ChatRequestOptions): ConvertedRequest {
  const read = readResponsesRequest(body, options.compaction)
  const system = read.conversation.system.join(JOIN)
  const out: JsonObject = {
    model: ctx.upstreamModel,
    messages: [...(system ? [{ role: 'system', content: system }] : []), ...chatMessages(read.conversation.turns, options.replayReasoning)],
  }
  // `max_tokens`, as for Claude Code's requests: most compatible servers know only that name.
  if (typeof body.max_output_tokens === 'number') out.max_tokens = body.max_output_tokens
  if (typeof body.temperature === 'number') out.temperature = body.temperature
  if (typeof body.top_p === 'number') out.top_p = body.top_p
  if (read.tools.length) {
    out.tools = read.tools.map(chatTool)
    if (read.toolChoice) out.tool_choice = chatToolChoice(read.toolChoice)
    if (typeof body.parallel_tool_calls === 'boolean') out.parallel_tool_calls = body.parallel_tool_calls
  }
  const effort = EFFORTS[read.effort ?? '']
  if (effort) out.reasoning_effort = effort
  const format = responseFormat(asObject(asObject(body.text)?.format))
  if (format) out.response_format = format
  const user = asString(body.user) || asString(body.safety_identifier)
  if (user) out.user = user.slice(0, MAX_USER_ID)
  if (asObject(body.metadata)) out.metadata = body.metadata
  if (asString(body.service_tier)) out.service_tier = body.service_tier
  if (ctx.stream) {
    out.stream = true
    // Without this a Chat stream carries no usage and the request would be logged as free.
    out.stream_options = { include_usage: true }
  }
  return { body: out, warnings: read.warnings, facts: read.facts }
}

function chatTool(tool: ToolSpec): JsonObject {
  const parameters = { ...tool.parameters }
  // `$schema` is the keyword strict validators (Gemini-backed, some vLLM gateways) reject.
  delete parameters.$schema
  return { type: 'function', function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters } }
}

function chatToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type
}

/** `text.format` → `response_format`: a JSON schema or JSON mode; plain text needs nothing. */
function responseFormat(format: JsonObject | undefined): JsonObject | undefined {
  if (format?.type === 'json_object') return { type: 'json_object' }
  if (format?.type !== 'json_schema') return undefined
  const { type: _type, ...schema } = format
  return { type: 'json_schema', json_schema: { name: asString(format.name) ?? 'response', ...schema } }
}

/** Turns → Chat messages (without the system message). */
function chatMessages(turns: Turn[], replayReasoning: boolean): JsonObject[] {
  const out: JsonObject[] = []
  // Attachments of consecutive tool outputs wait until the run of tool messages ends.
  let moved: JsonObject[] = []
  const flushMoved = () => {
    if (moved.length) out.push({ role: 'user', content: moved })
    moved = []
  }
  for (const turn of turns) {
    if (turn.role !== 'tool') flushMoved()
    if (turn.role === 'user') {
      out.push({ role: 'user', content: userContent(turn.parts) })
    }
    else if (turn.role === 'tool') {
      const media = turn.parts.filter(p => p.type !== 'text').map(chatPart)
      const text = [...turn.parts.flatMap(p => p.type === 'text' ? [p.text] : []), ...(media.length ? [MOVED_NOTE] : [])].join(JOIN)
      out.push({ role: 'tool', tool_call_id: turn.callId, content: text })
      moved.push(...media)
    }
    else {
      const message = assistantMessage(turn, replayReasoning)
      if (message) out.push(message)
    }
  }
  flushMoved()
  return out
}

function assistantMessage(turn: Extract<Turn, { role: 'assistant' }>, replayReasoning: boolean): JsonObject | undefined {
  // A turn of only reasoning would be an empty assistant message, which several providers reject.
  if (!turn.texts.length && !turn.calls.length) return undefined
  const message: JsonObject = { role: 'assistant', content: turn.texts.length ? turn.texts.join(JOIN) : null }
  // An empty string satisfies DeepSeek for a tool-call turn whose reasoning was not kept.
  if (replayReasoning && (turn.reasoning.length || turn.calls.length)) message.reasoning_content = turn.reasoning.join(JOIN)
  if (turn.calls.length) {
    message.tool_calls = turn.calls.map(call => ({
      id: call.callId,
      type: 'function',
      function: { name: call.name, arguments: call.custom ? JSON.stringify({ [CUSTOM_INPUT]: call.arguments }) : call.arguments },
    }))
  }
  return message
}

/** All-text content as one string: many OpenAI-compatible providers accept only strings. */
function userContent(parts: InputPart[]): string | JsonObject[] {
  return parts.every(p => p.type === 'text') ? parts.map(p => p.text).join(JOIN) : parts.map(chatPart)
}

function chatPart(part: InputPart): JsonObject {
  if (part.type === 'text') return { type: 'text', text: part.text }
  if (part.type === 'image') return { type: 'image_url', image_url: { url: part.url, ...(part.detail ? { detail: part.detail } : {}) } }
  return { type: 'file', file: { file_data: part.data, ...(part.filename ? { filename: part.filename } : {}) } }
}

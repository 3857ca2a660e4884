import { errorMessageOf } from '#server/utils/http/upstream-error'
import type { ConvertContext, JsonObject, NewId, SseEvent, StreamConverter } from '#server/utils/convert/types'
import { openaiError, statusOfType } from './error'
import { unixSeconds } from './json'
import { isObject } from '#server/utils/convert/values'
import { chatId, chatUsage, emptyUsage, finishReason, readUsage } from './response'

interface ToolBlock {
  /** Position among the message's tool calls: the Chat `tool_calls[].index`. */
  index: number
  /** Whether any argument fragment was streamed. */
  streamed: boolean
  /** `input` from the block start; Anthropic sends `{}`, some compatible upstreams the whole input. */
  input: unknown
}

const frame = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`

/**
 * Anthropic SSE → Chat `chat.completion.chunk` frames (`data:` lines only, no `event:`).
 * message_start → the role chunk; text/thinking deltas → `content` / `reasoning_content`;
 * tool_use → a `tool_calls` entry whose argument fragments are forwarded as they arrive;
 * message_delta → the finish chunk; message_stop → the usage chunk (only when the client asked
 * for `include_usage`) and `[DONE]`. Failures end with `data: {"error":…}` and no `[DONE]`: the
 * openai SDK throws on that frame, so the client never mistakes a broken stream for a clean end.
 */
export function createChatStream(ctx: ConvertContext, newId: NewId, now: () => number): StreamConverter {
  const includeUsage = ctx.includeUsage === true
  const created = unixSeconds(now)
  const usage = emptyUsage()
  const tools = new Map<number, ToolBlock>()
  let id = ''
  let finishSent = false
  let finished = false
  let closed = false

  const chunk = (delta: JsonObject, finish: string | null = null): string => frame({
    id,
    object: 'chat.completion.chunk',
    created,
    model: ctx.requestModel,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    // OpenAI sends `usage: null` on every chunk but the last once include_usage is on.
    ...(includeUsage ? { usage: null } : {}),
  })

  /** The role chunk opens the stream; a stream without message_start still gets one. */
  const open = (messageId?: unknown): string[] => {
    if (id) return []
    id = chatId(messageId, newId)
    return [chunk({ role: 'assistant', content: '' })]
  }

  const argumentsChunk = (tool: ToolBlock, args: string) => chunk({ tool_calls: [{ index: tool.index, function: { arguments: args } }] })

  const failWith = (status: number, type: string | undefined, message: string): string[] => {
    if (closed || finished) return []
    closed = true
    return [frame({ error: openaiError(status, type, message).error })]
  }

  const blockStart = (index: unknown, block: JsonObject): string[] => {
    if (block.type === 'text' && typeof block.text === 'string' && block.text) return [chunk({ content: block.text })]
    if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking) return [chunk({ reasoning_content: block.thinking })]
    if (block.type !== 'tool_use' || typeof index !== 'number') return []
    const tool: ToolBlock = { index: tools.size, streamed: false, input: block.input }
    tools.set(index, tool)
    return [chunk({ tool_calls: [{ index: tool.index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] })]
  }

  const blockDelta = (index: unknown, delta: JsonObject): string[] => {
    if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text) return [chunk({ content: delta.text })]
    if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string' && delta.thinking) return [chunk({ reasoning_content: delta.thinking })]
    const tool = typeof index === 'number' ? tools.get(index) : undefined
    if (delta.type !== 'input_json_delta' || !tool || typeof delta.partial_json !== 'string' || !delta.partial_json) return []
    tool.streamed = true
    return [argumentsChunk(tool, delta.partial_json)]
  }

  const blockStop = (index: unknown): string[] => {
    const tool = typeof index === 'number' ? tools.get(index) : undefined
    if (!tool || tool.streamed || !isObject(tool.input) || !Object.keys(tool.input).length) return []
    return [argumentsChunk(tool, JSON.stringify(tool.input))]
  }

  const finish = (stopReason: unknown): string[] => {
    if (finishSent) return []
    finishSent = true
    return [chunk({}, finishReason(stopReason))]
  }

  const stop = (): string[] => {
    const frames = finish('end_turn')
    if (includeUsage) frames.push(frame({ id, object: 'chat.completion.chunk', created, model: ctx.requestModel, choices: [], usage: chatUsage(usage) }))
    frames.push('data: [DONE]\n\n')
    finished = true
    return frames
  }

  return {
    start: () => [],
    push(event: SseEvent): string[] {
      if (closed || finished) return []
      let data: unknown
      try {
        data = JSON.parse(event.data)
      }
      catch {
        return failWith(502, undefined, 'Upstream sent a malformed stream event')
      }
      if (!isObject(data)) return failWith(502, undefined, 'Upstream sent a malformed stream event')
      const type = data.type ?? event.event
      if (type === 'error') {
        const errorType = isObject(data.error) && typeof data.error.type === 'string' ? data.error.type : undefined
        return failWith(statusOfType(errorType), errorType, errorMessageOf(data.error) ?? 'Upstream stream error')
      }
      if (type === 'message_start') {
        const message = isObject(data.message) ? data.message : {}
        readUsage(message.usage, usage)
        return open(message.id)
      }
      if (type === 'ping') return []
      const frames = open()
      if (type === 'content_block_start' && isObject(data.content_block)) frames.push(...blockStart(data.index, data.content_block))
      else if (type === 'content_block_delta' && isObject(data.delta)) frames.push(...blockDelta(data.index, data.delta))
      else if (type === 'content_block_stop') frames.push(...blockStop(data.index))
      else if (type === 'message_delta') {
        readUsage(data.usage, usage)
        const stopReason = isObject(data.delta) ? data.delta.stop_reason : undefined
        if (stopReason) frames.push(...finish(stopReason))
      }
      else if (type === 'message_stop') frames.push(...stop())
      return frames
    },
    end: () => failWith(502, undefined, 'Upstream stream ended before message_stop'),
    fail: (message: string) => failWith(500, undefined, message),
    get finished() {
      return finished
    },
    usage: () => ({ ...usage }),
  }
}

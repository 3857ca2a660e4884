import type { ConvertContext, JsonObject, NewId, Usage } from '../types'
import { anthropicToolId, toolArguments } from './tool-calls'
import { anthropicUsage, estimatedUsage, matchedStop, stopReason, usageFromChat } from './usage'
import { asArray, asObject, asString } from '../values'

/** `choices[0].message` of a Chat completion, or an empty object. */
function firstMessage(body: JsonObject): JsonObject {
  return asObject(asObject(asArray(body.choices)[0])?.message) ?? {}
}

/** Message text: a string, or (some providers) an array of text parts. */
function messageText(message: JsonObject): string {
  if (typeof message.content === 'string') return message.content
  return asArray(message.content).map(p => asString(asObject(p)?.text) ?? '').join('')
}

function reasoningText(message: JsonObject): string {
  return asString(message.reasoning_content) || asString(message.reasoning) || ''
}

/**
 * Tool arguments as an Anthropic `input` object. Arguments that are not a JSON object (cut off,
 * malformed, a bare value) become `{}`: the tool then fails validation in Claude Code and the
 * model sees that error and retries, instead of the whole response failing here.
 */
export function parseInput(args: string): JsonObject {
  try {
    return asObject(JSON.parse(args)) ?? {}
  }
  catch {
    return {}
  }
}

/**
 * Usage of a non-streaming Chat completion in Anthropic's terms; estimated from the generated
 * characters (and marked so) when the upstream reported none.
 */
export function chatCompletionUsage(body: JsonObject): Usage {
  const reported = usageFromChat(body.usage)
  if (reported) return reported
  const message = firstMessage(body)
  let chars = messageText(message).length + reasoningText(message).length + (asString(message.refusal)?.length ?? 0)
  for (const call of asArray(message.tool_calls)) {
    const fn = asObject(asObject(call)?.function)
    chars += (asString(fn?.name)?.length ?? 0) + toolArguments(fn).length
  }
  return estimatedUsage(chars)
}

/**
 * A Chat completion → an Anthropic message. Reasoning becomes a `thinking` block with an empty
 * signature: a Chat upstream has none, and a forged one would be rejected by a real Anthropic
 * upstream later in the conversation, so none is ever minted.
 */
export function anthropicMessage(body: JsonObject, ctx: ConvertContext, newId: NewId): JsonObject {
  const choice = asObject(asArray(body.choices)[0])
  const message = firstMessage(body)
  const content: JsonObject[] = []
  const reasoning = reasoningText(message)
  if (reasoning) content.push({ type: 'thinking', thinking: reasoning, signature: '' })
  const text = messageText(message) || asString(message.refusal)
  if (text) content.push({ type: 'text', text })
  for (const raw of asArray(message.tool_calls)) {
    const call = asObject(raw)
    const fn = asObject(call?.function)
    const name = asString(fn?.name)
    // A call without a name cannot be run by the client.
    if (!name) continue
    content.push({ type: 'tool_use', id: anthropicToolId(asString(call?.id), newId), name, input: parseInput(toolArguments(fn)) })
  }
  const stop = matchedStop(choice)
  const stopped = stopReason(asString(choice?.finish_reason), content.some(b => b.type === 'tool_use'), stop)
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model: ctx.requestModel,
    content,
    stop_reason: stopped,
    stop_sequence: stopped === 'stop_sequence' ? stop : null,
    usage: anthropicUsage(chatCompletionUsage(body)),
  }
}

import type { ConvertContext, JsonObject, Usage } from '../types'
import { chatCompletionUsage } from '../anthropic-to-openai/response'
import { toolArguments } from '../anthropic-to-openai/tool-calls'
import { asArray, asCount, asObject, asString } from '../values'
import type { Minting } from '../responses-common/converter'
import type { Outcome } from '../responses-common/output'
import { callItem, customInput, finishedResponse, itemStatus, messageItem, reasoningItem } from '../responses-common/output'
import { unixSeconds } from '../openai-to-anthropic/json'
import type { RequestFacts } from '../responses-common/types'

/** Chat `finish_reason` → how the Responses turn ended. */
export function chatOutcome(finishReason: string | undefined): Outcome {
  if (finishReason === 'length') return { status: 'incomplete', reason: 'max_output_tokens' }
  if (finishReason === 'content_filter') return { status: 'incomplete', reason: 'content_filter' }
  return { status: 'completed' }
}

/** `completion_tokens_details.reasoning_tokens` of a Chat usage object, when reported. */
export function reasoningTokens(usage: unknown): number | undefined {
  const details = asObject(asObject(usage)?.completion_tokens_details)
  return typeof details?.reasoning_tokens === 'number' ? asCount(details.reasoning_tokens) : undefined
}

/** Usage of a non-streaming Chat completion in Anthropic's terms, with its reasoning tokens. */
export function completionUsage(body: JsonObject): Usage {
  const usage = chatCompletionUsage(body)
  const reasoning = reasoningTokens(body.usage)
  return reasoning === undefined ? usage : { ...usage, reasoningTokens: reasoning }
}

/**
 * A Chat completion → a Responses `response` object: reasoning (as a summary), the answer text,
 * then each tool call as a `function_call` or, for a custom tool, a `custom_tool_call` with the
 * raw input. A length stop makes it `incomplete` with `max_output_tokens`.
 */
export function chatToResponse(body: JsonObject, ctx: ConvertContext, facts: RequestFacts, mint: Minting): JsonObject {
  const choice = asObject(asArray(body.choices)[0])
  const message = asObject(choice?.message) ?? {}
  const outcome = chatOutcome(asString(choice?.finish_reason))
  const status = itemStatus(outcome)
  const output: JsonObject[] = []
  const reasoning = asString(message.reasoning_content) || asString(message.reasoning)
  if (reasoning) output.push(reasoningItem(mint.newId('rs'), reasoning, status))
  const text = typeof message.content === 'string' ? message.content : asArray(message.content).map(p => asString(asObject(p)?.text) ?? '').join('')
  const said = text || asString(message.refusal)
  if (said) output.push(messageItem(mint.newId('msg'), said, status))
  for (const raw of asArray(message.tool_calls)) {
    const call = asObject(raw)
    const fn = asObject(call?.function)
    const name = asString(fn?.name)
    // A call without a name cannot be run by the client.
    if (!name) continue
    const custom = facts.customTools.has(name)
    const args = toolArguments(fn)
    const callId = asString(call?.id) || mint.newId('call')
    output.push(callItem(mint.newId(custom ? 'ctc' : 'fc'), { callId, name, custom, text: custom ? customInput(args) : args }, status))
  }
  return finishedResponse({ id: mint.newId('resp'), createdAt: unixSeconds(mint.now), model: ctx.requestModel }, outcome, output, completionUsage(body))
}

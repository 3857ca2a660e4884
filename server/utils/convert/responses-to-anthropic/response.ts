import type { ConvertContext, JsonObject } from '../types'
import { unixSeconds } from '../openai-to-anthropic/json'
import { messageUsage } from '../openai-to-anthropic/response'
import type { Minting } from '../responses-common/converter'
import type { Outcome } from '../responses-common/output'
import { callItem, finishedResponse, itemStatus, messageItem, reasoningItem } from '../responses-common/output'
import { CUSTOM_INPUT } from '../responses-common/tools'
import type { RequestFacts } from '../responses-common/types'
import { asArray, asObject, asString } from '../values'

/** Anthropic `stop_reason` → how the Responses turn ended. */
export function anthropicOutcome(stopReason: unknown): Outcome {
  if (stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded') return { status: 'incomplete', reason: 'max_output_tokens' }
  if (stopReason === 'refusal') return { status: 'incomplete', reason: 'content_filter' }
  return { status: 'completed' }
}

/** A custom tool's raw input from the `input` object Claude produced (`{"input": "…"}`). */
export function customToolInput(input: unknown): string {
  const value = asObject(input)?.[CUSTOM_INPUT]
  return typeof value === 'string' ? value : JSON.stringify(input ?? {})
}

/**
 * An Anthropic message → a Responses `response` object: thinking → reasoning items (summary
 * text), text → message items, tool_use → `function_call` (or `custom_tool_call` for a custom
 * tool) with the `toolu_…` id as `call_id`. Redacted thinking and server-tool blocks have no
 * Responses equivalent here and are left out.
 */
export function messageToResponse(body: JsonObject, ctx: ConvertContext, facts: RequestFacts, mint: Minting): JsonObject {
  const outcome = anthropicOutcome(body.stop_reason)
  const status = itemStatus(outcome)
  const output: JsonObject[] = []
  for (const raw of asArray(body.content)) {
    const block = asObject(raw)
    if (block?.type === 'thinking' && asString(block.thinking)) output.push(reasoningItem(mint.newId('rs'), block.thinking as string, status))
    else if (block?.type === 'text' && asString(block.text)) output.push(messageItem(mint.newId('msg'), block.text as string, status))
    else if (block?.type === 'tool_use' && asString(block.name)) {
      const name = block.name as string
      const custom = facts.customTools.has(name)
      const text = custom ? customToolInput(block.input) : JSON.stringify(block.input ?? {})
      output.push(callItem(mint.newId(custom ? 'ctc' : 'fc'), { callId: asString(block.id) || mint.newId('call'), name, custom, text }, status))
    }
  }
  return finishedResponse({ id: mint.newId('resp'), createdAt: unixSeconds(mint.now), model: ctx.requestModel }, outcome, output, messageUsage(body))
}

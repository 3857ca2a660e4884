import type { JsonObject, Usage } from '../types'
import { CUSTOM_INPUT } from './tools'

/** How a turn ended, in Responses terms. */
export type Outcome
  = | { status: 'completed' }
    | { status: 'incomplete', reason: 'max_output_tokens' | 'content_filter' }

/** Item status: `incomplete` for an item a length stop cut off. */
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete'

/** A tool call as the client gets it. */
export interface OutputCall {
  callId: string
  name: string
  /** Function calls: JSON arguments text. Custom tool calls: the raw input. */
  text: string
  custom: boolean
}

/**
 * Responses usage from usage in Anthropic's terms: `input_tokens` includes cache reads and
 * writes (`cached_tokens` is the read part), `output_tokens` includes reasoning.
 */
export function responsesUsage(usage: Usage): JsonObject {
  const input = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + usage.outputTokens,
  }
}

export function messageItem(id: string, text: string, status: ItemStatus): JsonObject {
  const content = status === 'in_progress' ? [] : [outputText(text)]
  return { id, type: 'message', status, role: 'assistant', content }
}

/** An `output_text` content part. */
export function outputText(text: string): JsonObject {
  return { type: 'output_text', text, annotations: [], logprobs: [] }
}

/**
 * A reasoning item: the upstream's reasoning text as its one summary part. There is no
 * `encrypted_content`: a converted channel has nothing Codex could hand back that it would accept.
 */
export function reasoningItem(id: string, text: string, status: ItemStatus): JsonObject {
  const summary = status === 'in_progress' ? [] : [summaryText(text)]
  return { id, type: 'reasoning', summary }
}

/** A `summary_text` part. */
export function summaryText(text: string): JsonObject {
  return { type: 'summary_text', text }
}

/** A `function_call` or `custom_tool_call` item; `text` is empty while it streams. */
export function callItem(id: string, call: OutputCall, status: ItemStatus): JsonObject {
  const text = status === 'in_progress' ? '' : call.text
  return call.custom
    ? { id, type: 'custom_tool_call', status, call_id: call.callId, name: call.name, input: text }
    : { id, type: 'function_call', status, call_id: call.callId, name: call.name, arguments: text }
}

/**
 * The raw input of a custom tool call from the function arguments the upstream model wrote
 * (`{"input": "…"}`); arguments of another shape are passed on as they are, so the tool reports
 * the malformed input instead of the call vanishing.
 */
export function customInput(args: string): string {
  try {
    const parsed = JSON.parse(args) as unknown
    const input = typeof parsed === 'object' && parsed !== null ? (parsed as JsonObject)[CUSTOM_INPUT] : undefined
    return typeof input === 'string' ? input : args
  }
  catch {
    return args
  }
}

/** The fields of a response object that do not depend on the request's echo fields. */
export interface ResponseFields {
  id: string
  createdAt: number
  model: string
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed'
  output: JsonObject[]
  usage?: Usage
  reason?: string
  error?: { code: string, message: string }
}

/** A Responses `response` object (`usage` null until the turn ended). */
export function responseObject(f: ResponseFields): JsonObject {
  return {
    id: f.id,
    object: 'response',
    created_at: f.createdAt,
    status: f.status,
    error: f.error ?? null,
    incomplete_details: f.reason ? { reason: f.reason } : null,
    model: f.model,
    output: f.output,
    usage: f.usage ? responsesUsage(f.usage) : null,
  }
}

/** The status of the items of a turn that ended this way. */
export function itemStatus(outcome: Outcome): ItemStatus {
  return outcome.status === 'incomplete' ? 'incomplete' : 'completed'
}

/** The response object of a finished non-streaming turn. */
export function finishedResponse(head: { id: string, createdAt: number, model: string }, outcome: Outcome, output: JsonObject[], usage: Usage): JsonObject {
  return responseObject({ ...head, status: outcome.status, output, usage, ...(outcome.status === 'incomplete' ? { reason: outcome.reason } : {}) })
}

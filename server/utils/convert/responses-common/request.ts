import type { JsonObject } from '../types'
import { asObject } from '../values'
import { readConversation } from './input'
import { readToolChoice, readTools } from './tools'
import type { CompactionHook, ConversionWarning, RequestFacts, ResponsesConversation, ToolChoice, ToolSpec } from './types'

/** A Responses request read into neutral terms, with what was left out of it. */
export interface ReadRequest {
  conversation: ResponsesConversation
  tools: ToolSpec[]
  toolChoice?: ToolChoice
  /** `reasoning.effort`, when the client set one. */
  effort?: string
  warnings: ConversionWarning[]
  facts: RequestFacts
}

/** What a channel's request conversion returns: the upstream body and what it left out. */
export interface ConvertedRequest {
  body: JsonObject
  warnings: ConversionWarning[]
  facts: RequestFacts
}

/** Reads the parts of a Responses request both converted channels share. */
export function readResponsesRequest(body: JsonObject, compaction?: CompactionHook): ReadRequest {
  const warnings: ConversionWarning[] = []
  const warn = (w: ConversionWarning) => warnings.push(w)
  const conversation = readConversation(body, warn, compaction)
  const tools = readTools(body.tools, warn)
  const toolChoice = tools.length ? readToolChoice(body.tool_choice, tools, warn) : undefined
  const effort = asObject(body.reasoning)?.effort
  return {
    conversation,
    tools,
    ...(toolChoice ? { toolChoice } : {}),
    ...(typeof effort === 'string' ? { effort } : {}),
    warnings,
    facts: { customTools: new Set(tools.filter(t => t.custom).map(t => t.name)) },
  }
}

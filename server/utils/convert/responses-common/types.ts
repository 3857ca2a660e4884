import type { ConvertContext, JsonObject, NewId } from '../types'

// Types shared by the Responses-client converters (`responses-to-chat`, `responses-to-anthropic`)
// and the modules of this folder; nothing here imports back from them.

/**
 * Something of the client's request the channel cannot take, left out of the upstream request:
 * a built-in tool (`web_search`, `local_shell`, …), an input item (`compaction`,
 * `web_search_call`, …) or a parameter. Not an error: the request still goes out, and the caller
 * logs the warning so a user can see why the model did not search the web.
 */
export interface ConversionWarning {
  kind: 'tool' | 'input_item' | 'parameter'
  /** The tool type, item type or parameter name, e.g. `web_search`. */
  name: string
  message: string
}

/** Receives each warning of one request conversion; `ctx` is that request's context. */
export type WarningSink = (warning: ConversionWarning, ctx: ConvertContext) => void

/**
 * Replaces a `compaction` input item (Codex's remote-compaction summary, sealed by the provider
 * that made it) with input items the channel can read, e.g.
 * `[{ type: 'message', role: 'user', content: [{ type: 'input_text', text: summary }] }]`.
 * Return `[]` to drop it. Without a hook such items are dropped with a warning: their
 * `encrypted_content` means nothing to another provider.
 */
export type CompactionHook = (item: JsonObject) => JsonObject[]

/** Options both Responses-client converters take. */
export interface ResponsesConverterOptions {
  /** Mints `resp_…`, `msg_…`, `rs_…`, `fc_…`, `ctc_…`, `call_…` ids; defaults to random ones. */
  newId?: NewId
  /** The clock for `created_at`, in ms since the epoch; defaults to `Date.now`. */
  now?: () => number
  /** Called for each tool, item or parameter left out of a request (log it as a warning). */
  onWarning?: WarningSink
  /** Turns `compaction` input items into replayable items; see {@link CompactionHook}. */
  compaction?: CompactionHook
}

/** A part of a user message or tool output, in neutral terms. */
export type InputPart
  = | { type: 'text', text: string }
    | { type: 'image', url: string, detail?: string }
    | { type: 'file', data: string, filename?: string }

/** A tool call the assistant made earlier in the conversation. */
export interface HistoryCall {
  callId: string
  name: string
  /** Function calls: the JSON arguments text. Custom tool calls: the raw input text. */
  arguments: string
  custom: boolean
}

/** One turn of the conversation, read from Responses input items. */
export type Turn
  = | { role: 'user', parts: InputPart[] }
    | { role: 'assistant', texts: string[], reasoning: string[], calls: HistoryCall[] }
    | { role: 'tool', callId: string, parts: InputPart[] }

/** A Responses request's conversation: system text (instructions, system and developer messages) and turns. */
export interface ResponsesConversation {
  system: string[]
  turns: Turn[]
}

/** A tool the upstream model may call, in neutral terms. */
export interface ToolSpec {
  name: string
  description?: string
  /** JSON Schema of the arguments; custom tools get {@link CUSTOM_TOOL_SCHEMA}. */
  parameters: JsonObject
  /** A Responses `custom` (freeform) tool, exposed upstream as a function taking one string. */
  custom: boolean
}

/** `tool_choice` in neutral terms. */
export type ToolChoice = { type: 'auto' | 'none' | 'required' } | { type: 'tool', name: string }

/**
 * What a stream or response conversion needs to remember from the request: which tool names
 * were custom tools, so their calls go back as `custom_tool_call` items.
 */
export interface RequestFacts {
  customTools: ReadonlySet<string>
}

import type { JsonObject } from '../types'
import { asArray, asObject, asString } from '../values'
import type { ConversionWarning, ToolChoice, ToolSpec } from './types'

/** The one parameter a custom (freeform) tool takes upstream. */
export const CUSTOM_INPUT = 'input'

/** Arguments schema of a custom tool exposed as a function: one string, the raw input. */
export const CUSTOM_TOOL_SCHEMA: JsonObject = {
  type: 'object',
  properties: { [CUSTOM_INPUT]: { type: 'string', description: 'The raw input of the tool, exactly as the tool description specifies.' } },
  required: [CUSTOM_INPUT],
  additionalProperties: false,
}

/**
 * A custom tool's description for a model that will call it as a function: the client's text,
 * where the input goes, and the grammar it must follow (Codex's `apply_patch` grammar is the only
 * place the patch format is spelled out, and non-OpenAI models were never trained on it).
 */
function customDescription(tool: JsonObject): string {
  const format = asObject(tool.format)
  const grammar = format?.type === 'grammar' ? asString(format.definition) : undefined
  const lines = [asString(tool.description) ?? '', `On this channel the tool is called as a function: pass the whole input as its "${CUSTOM_INPUT}" string argument, which reaches the tool unchanged.`]
  const syntax = asString(format?.syntax)
  if (grammar) lines.push(`The input must match this ${syntax ? `${syntax} ` : ''}grammar:\n${grammar}`)
  return lines.filter(Boolean).join('\n\n')
}

/**
 * Responses `tools` → the tools a converted channel can call. Function tools pass with their
 * schema; custom tools become functions with one string argument; built-in tools (`web_search`,
 * `local_shell`, `file_search`, `image_generation`, `code_interpreter`, `mcp`, …) run on OpenAI's
 * side only, so they are left out with a warning.
 */
export function readTools(tools: unknown, warn: (w: ConversionWarning) => void): ToolSpec[] {
  return asArray(tools).flatMap((raw): ToolSpec[] => {
    const tool = asObject(raw)
    const name = asString(tool?.name)
    if (tool?.type === 'function' && name) {
      const parameters = asObject(tool.parameters) ?? { type: 'object', properties: {} }
      return [{ name, ...(asString(tool.description) ? { description: tool.description as string } : {}), parameters, custom: false }]
    }
    if (tool?.type === 'custom' && name) return [{ name, description: customDescription(tool), parameters: CUSTOM_TOOL_SCHEMA, custom: true }]
    const type = String(tool?.type)
    warn({ kind: 'tool', name: type, message: `tool '${name ?? type}' (type '${type}') was left out: this channel cannot run it` })
    return []
  })
}

/**
 * Responses `tool_choice` → neutral choice. A choice naming a tool that was left out (a built-in)
 * falls back to `auto` with a warning; unknown shapes are ignored the same way.
 */
export function readToolChoice(choice: unknown, tools: ToolSpec[], warn: (w: ConversionWarning) => void): ToolChoice | undefined {
  if (choice == null) return undefined
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice }
  const named = asObject(choice)
  const name = asString(named?.name)
  if ((named?.type === 'function' || named?.type === 'custom') && name && tools.some(t => t.name === name)) return { type: 'tool', name }
  warn({ kind: 'parameter', name: 'tool_choice', message: `tool_choice ${JSON.stringify(choice)} has no equivalent on this channel; auto is used` })
  return { type: 'auto' }
}

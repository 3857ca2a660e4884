import type { JsonObject } from '../types'
import { contentParts } from '../anthropic-to-openai/messages'
import { asArray, asObject, asString } from '../values'
import { decodeReasoningSignature } from './reasoning-signature'

/** Texts of one tool result are joined with a blank line, the way they read as paragraphs. */
const JOIN = '\n\n'

/**
 * Anthropic messages → Responses `input` items, in conversation order: user and system turns
 * become `message` items (system as `developer`, Responses' mid-conversation instruction role),
 * each `tool_result` a `function_call_output` where it stood; assistant turns become `message`,
 * `function_call` and `reasoning` items.
 */
export function inputItems(messages: unknown): JsonObject[] {
  const out: JsonObject[] = []
  for (const raw of asArray(messages)) {
    const message = asObject(raw)
    if (!message) continue
    if (message.role === 'assistant') out.push(...assistantItems(message.content))
    else out.push(...userItems(message.content, message.role === 'system' ? 'developer' : 'user'))
  }
  return out
}

function userItems(content: unknown, role: string): JsonObject[] {
  if (typeof content === 'string') return content ? [{ type: 'message', role, content: [{ type: 'input_text', text: content }] }] : []
  const out: JsonObject[] = []
  let parts: JsonObject[] = []
  const flush = () => {
    if (parts.length) out.push({ type: 'message', role, content: parts })
    parts = []
  }
  for (const raw of asArray(content)) {
    const block = asObject(raw)
    if (block?.type !== 'tool_result') {
      parts.push(...inputParts(block))
      continue
    }
    flush()
    out.push({ type: 'function_call_output', call_id: asString(block.tool_use_id) ?? '', output: toolOutput(block) })
  }
  flush()
  return out
}

/**
 * A tool result as `function_call_output.output`: a string when it is all text, else a list of
 * input parts, which Responses accepts there (so screenshots from Claude Code's tools reach the
 * model). Responses has no error flag; the prefix tells the model the call failed.
 */
function toolOutput(block: JsonObject): string | JsonObject[] {
  const parts = typeof block.content === 'string'
    ? [{ type: 'input_text', text: block.content }]
    : asArray(block.content).flatMap(raw => inputParts(asObject(raw)))
  const joined = parts.filter(p => p.type === 'input_text').map(p => p.text as string).filter(Boolean).join(JOIN)
  const text = block.is_error === true ? `Error: ${joined}` : joined
  const media = parts.filter(p => p.type !== 'input_text')
  if (!media.length) return text
  return text ? [{ type: 'input_text', text }, ...media] : media
}

/**
 * A user-side Anthropic block → Responses input parts. The block is read by the Chat converter's
 * reader (images, PDFs, text documents, search results) and its parts renamed: they carry the
 * same data URLs and texts under other names.
 */
function inputParts(block: JsonObject | undefined): JsonObject[] {
  return contentParts(block).flatMap((part): JsonObject[] => {
    if (part.type === 'text') return [{ type: 'input_text', text: part.text }]
    if (part.type === 'image_url') return [{ type: 'input_image', image_url: asObject(part.image_url)?.url, detail: 'auto' }]
    const file = asObject(part.file)
    return file ? [{ type: 'input_file', filename: file.filename, file_data: file.file_data }] : []
  })
}

/**
 * An assistant turn → items in block order. Consecutive texts share one `message`; `tool_use`
 * becomes `function_call` with the tool id as `call_id` (the next turn's `tool_result` points at
 * it). Thinking is replayed only when its signature carries a reasoning item cc-bridge packed
 * from this kind of channel: with `store: false` the upstream can resume reasoning only from its
 * own `encrypted_content`, and an item without it (or with an id the upstream never stored) is
 * rejected. Anthropic-signed, unsigned and redacted thinking is dropped, as are server-tool blocks.
 */
function assistantItems(content: unknown): JsonObject[] {
  if (typeof content === 'string') return content ? [assistantMessage([{ type: 'output_text', text: content }])] : []
  const out: JsonObject[] = []
  let texts: JsonObject[] | undefined
  for (const raw of asArray(content)) {
    const block = asObject(raw)
    if (block?.type === 'text') {
      if (!asString(block.text)) continue
      if (!texts) out.push(assistantMessage(texts = []))
      texts.push({ type: 'output_text', text: block.text })
      continue
    }
    texts = undefined
    if (block?.type === 'tool_use') {
      out.push({ type: 'function_call', call_id: asString(block.id) ?? '', name: asString(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) })
    }
    else if (block?.type === 'thinking') {
      const state = decodeReasoningSignature(block.signature)
      if (!state) continue
      const text = asString(block.thinking)
      out.push({
        type: 'reasoning',
        ...(state.id ? { id: state.id } : {}),
        summary: text ? [{ type: 'summary_text', text }] : [],
        encrypted_content: state.encryptedContent,
      })
    }
  }
  return out
}

function assistantMessage(content: JsonObject[]): JsonObject {
  return { type: 'message', role: 'assistant', content }
}

/** Characters per token for text and JSON: Claude's tokenizer gives about 3.5–4 on English and code; the lower end over-counts a little, which is the safer side for context and compaction decisions. */
export const CHARS_PER_TOKEN = 3.5
/** A typical image (about 1.15 megapixels) costs (width × height) / 750 ≈ 1,600 tokens. */
const IMAGE_TOKENS = 1600
/** Framing per message and per tool that the API adds around their content. */
const MESSAGE_OVERHEAD = 4
const TOOL_OVERHEAD = 8

type Json = unknown

function blockChars(block: Json): { chars: number, images: number } {
  if (typeof block === 'string') return { chars: block.length, images: 0 }
  if (!block || typeof block !== 'object') return { chars: 0, images: 0 }
  const b = block as Record<string, Json>
  switch (b.type) {
    case 'text': return { chars: String(b.text ?? '').length, images: 0 }
    case 'image': return { chars: 0, images: 1 }
    case 'thinking': return { chars: String(b.thinking ?? '').length, images: 0 }
    case 'tool_use': return { chars: String(b.name ?? '').length + JSON.stringify(b.input ?? {}).length, images: 0 }
    case 'tool_result': return contentChars(b.content)
    case 'document': {
      const source = (b.source ?? {}) as Record<string, Json>
      // A base64 PDF: its decoded size over ~10 bytes per token is a rough stand-in for its text.
      if (source.type === 'base64') return { chars: Math.round(String(source.data ?? '').length * 0.75 / 10 * CHARS_PER_TOKEN), images: 0 }
      return contentChars(source.data ?? source.content)
    }
    default: return { chars: JSON.stringify(b).length, images: 0 }
  }
}

function contentChars(content: Json): { chars: number, images: number } {
  if (!Array.isArray(content)) return blockChars(content)
  let chars = 0
  let images = 0
  for (const block of content) {
    const c = blockChars(block)
    chars += c.chars
    images += c.images
  }
  return { chars, images }
}

/**
 * A local estimate of `input_tokens` for a Messages request, used by count_tokens when no Claude
 * channel can answer: characters of system, messages and tool definitions over 3.5, plus about
 * 1,600 per image and a few tokens of framing per message and tool.
 */
export function estimateInputTokens(body: Record<string, Json>): number {
  let chars = 0
  let images = 0
  let overhead = 0
  const add = (c: { chars: number, images: number }) => {
    chars += c.chars
    images += c.images
  }
  add(contentChars(body.system))
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    overhead += MESSAGE_OVERHEAD
    add(contentChars((m as Record<string, Json>)?.content))
  }
  for (const t of Array.isArray(body.tools) ? body.tools : []) {
    overhead += TOOL_OVERHEAD
    chars += JSON.stringify(t).length
  }
  return Math.max(1, Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS + overhead)
}

import { CUSTOM_INPUT } from './tools'

const PREFIX = `{"${CUSTOM_INPUT}":"`
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t' }

/**
 * Decodes a custom tool's input while its function arguments stream (`{"input":"…"}` in JSON
 * fragments), so `response.custom_tool_call_input.delta` carries the patch text as it is written.
 * Arguments of any other shape give no deltas; the item's final input then comes from the whole
 * arguments ({@link customInput}). A high surrogate is held back until its pair arrives: a lone
 * one would not survive the client's JSON parser (Codex's is strict).
 */
export class StreamedInput {
  private state: 'prefix' | 'string' | 'done' = 'prefix'
  private head = ''
  private escape?: string
  private held = ''
  /** Everything emitted so far. */
  decoded = ''

  /** Feeds one argument fragment; returns the newly decoded input text (possibly empty). */
  feed(fragment: string): string {
    let rest = fragment
    if (this.state === 'prefix') {
      this.head += fragment
      const match = /^\s*\{\s*"input"\s*:\s*"/.exec(this.head)
      if (!match) {
        if (!PREFIX.startsWith(this.head.replace(/\s+/g, ''))) this.state = 'done'
        return ''
      }
      this.state = 'string'
      rest = this.head.slice(match[0].length)
    }
    if (this.state !== 'string') return ''
    let out = this.held
    this.held = ''
    for (const c of rest) {
      if (this.escape !== undefined) {
        this.escape += c
        const unit = this.unescape()
        if (unit !== undefined) out += unit
        continue
      }
      if (c === '\\') this.escape = ''
      else if (c === '"') {
        this.state = 'done'
        break
      }
      else out += c
    }
    if (this.state === 'string' && /[\uD800-\uDBFF]$/.test(out)) {
      this.held = out.slice(-1)
      out = out.slice(0, -1)
    }
    this.decoded += out
    return out
  }

  /** The character of a complete escape sequence, '' for a malformed one, undefined while incomplete. */
  private unescape(): string | undefined {
    const e = this.escape!
    if (e[0] !== 'u') {
      this.escape = undefined
      return ESCAPES[e] ?? ''
    }
    if (e.length < 5) return undefined
    this.escape = undefined
    const code = Number.parseInt(e.slice(1), 16)
    return Number.isNaN(code) ? '' : String.fromCharCode(code)
  }
}

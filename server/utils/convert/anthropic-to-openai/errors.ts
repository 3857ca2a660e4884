import type { ConvertedError } from '../types'
import { anthropicErrorType } from '../../http/protocol-error'
import { asObject, asString } from '../values'

/** Longest slice of a non-JSON error body (an HTML error page, a proxy's text) kept as message. */
const MAX_RAW_MESSAGE = 500

/** An error in Anthropic's terms: the HTTP status to answer with, `error.type` and message. */
export interface AnthropicError {
  status: number
  type: string
  message: string
}

/**
 * Classifies an OpenAI-style error (`{message, type, code}`) for an Anthropic client. Context
 * overflows are reworded as Anthropic's "prompt is too long: N tokens > M maximum", the text
 * Claude Code's reactive compaction reacts to; overloads become 529 so the SDK backs off.
 */
export function classifyError(status: number | undefined, error: unknown, fallback: string): AnthropicError {
  const err = asObject(error)
  const message = asString(err?.message) || asString(err?.detail) || asString(error) || fallback
  const code = `${asString(err?.code) ?? ''} ${asString(err?.type) ?? ''}`
  if (code.includes('context_length_exceeded') || /maximum context length|context window/i.test(message)) {
    return { status: 400, type: 'invalid_request_error', message: promptTooLong(message) }
  }
  if (status === 503 || (/overload/i.test(`${code} ${message}`) && (status === undefined || status >= 500))) {
    return { status: 529, type: 'overloaded_error', message }
  }
  if (status === undefined) {
    // A mid-stream error has no status; its code still tells throttling from failure.
    const limited = /rate_limit|insufficient_quota/.test(code)
    return { status: limited ? 429 : 500, type: limited ? 'rate_limit_error' : 'api_error', message }
  }
  if (status >= 500 || status < 400) return { status: 500, type: 'api_error', message }
  if (status === 422) return { status: 400, type: 'invalid_request_error', message }
  return { status, type: anthropicErrorType(status), message }
}

/** OpenAI's "maximum context length is M tokens … resulted in / requested N tokens" → Anthropic wording. */
function promptTooLong(message: string): string {
  const max = /maximum context length is (\d+)/i.exec(message)?.[1]
  const used = /(?:resulted in|requested) (\d+)/i.exec(message)?.[1]
  return max && used ? `prompt is too long: ${used} tokens > ${max} maximum` : `prompt is too long: ${message}`
}

/**
 * An upstream error answer (status + raw body, JSON or not) → Anthropic status and error body.
 * The upstream's own message is kept; only the envelope and type follow Anthropic.
 */
export function anthropicErrorFromChat(status: number, body: string): ConvertedError {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  }
  catch {
    parsed = undefined
  }
  const root = asObject(parsed)
  const raw = body.replace(/\s+/g, ' ').trim().slice(0, MAX_RAW_MESSAGE)
  const fallback = `upstream returned HTTP ${status}${raw && !root ? `: ${raw}` : ''}`
  // `{error:{…}}` is OpenAI's shape; some compatible servers send `{message}` or `{error:"…"}`.
  const error = root ? (root.error ?? root) : undefined
  const mapped = classifyError(status, error, fallback)
  return { status: mapped.status, body: JSON.stringify({ type: 'error', error: { type: mapped.type, message: mapped.message } }) }
}

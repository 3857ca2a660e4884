import type { ConvertedError, JsonObject } from '../types'
import { anthropicErrorType } from '../../http/protocol-error'
import { readUpstreamError, upstreamErrorMessage } from '../../http/upstream-error'
import { asString } from '../values'

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
 * `err` is the error object (for its code and type), `message` the text the client will see.
 */
export function classifyError(status: number | undefined, err: JsonObject | undefined, message: string): AnthropicError {
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
  // A 5xx keeps its status (a 502 is the upstream's gateway failing, not a fault of ours).
  if (status < 400) return { status: 500, type: 'api_error', message }
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
  const read = readUpstreamError(body)
  const mapped = classifyError(status, read.error, upstreamErrorMessage(status, read))
  return { status: mapped.status, body: JSON.stringify({ type: 'error', error: { type: mapped.type, message: mapped.message } }) }
}

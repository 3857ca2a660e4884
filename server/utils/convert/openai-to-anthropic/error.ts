import { statusOfAnthropicErrorType } from '#server/utils/http/protocol-error'
import { readUpstreamError, upstreamErrorMessage } from '#server/utils/http/upstream-error'
import type { ConvertedError } from '#server/utils/convert/types'
import { asString } from '#server/utils/convert/values'

/** OpenAI's error object (the value of the `error` key). */
export interface OpenaiErrorObject {
  message: string
  type: string
  param: null
  code: string | null
}

// Anthropic's context-overflow wordings; OpenAI clients key on the code, not the text.
const CONTEXT_TOO_LONG = /prompt is too long|exceed context limit/i
const OUT_OF_CREDIT = /quota|billing|credit|balance/i

/**
 * The OpenAI status and error object for an Anthropic failure. Types follow cc-bridge's own
 * OpenAI errors (`protocol-error.ts`); codes are the ones OpenAI SDK users branch on.
 */
export function openaiError(status: number, anthropicType: string | undefined, message: string): { status: number, error: OpenaiErrorObject } {
  const make = (out: number, type: string, code: string | null = null) => ({ status: out, error: { message, type, param: null, code } })
  if (anthropicType === 'overloaded_error' || status === 529 || status === 503) return make(503, 'server_error', 'server_is_overloaded')
  // Any other 5xx keeps its status: a 502 is the upstream's gateway failing, not a fault of ours.
  if (status >= 500) return make(status, 'server_error')
  if (status === 402 || (status === 429 && OUT_OF_CREDIT.test(message))) return make(429, 'insufficient_quota', 'insufficient_quota')
  switch (status) {
    case 400: return make(400, 'invalid_request_error', CONTEXT_TOO_LONG.test(message) ? 'context_length_exceeded' : null)
    case 401: return make(401, 'authentication_error', 'invalid_api_key')
    case 403: return make(403, 'permission_error')
    case 404: return make(404, 'not_found_error', /model/i.test(message) ? 'model_not_found' : null)
    case 429: return make(429, 'rate_limit_error', 'rate_limit_exceeded')
    default: return make(status >= 400 ? status : 500, status >= 400 ? 'invalid_request_error' : 'server_error')
  }
}

/** The HTTP status an Anthropic error type stands for, for errors that arrive inside a 200 stream. */
export function statusOfType(type: string | undefined): number {
  return statusOfAnthropicErrorType(type) ?? 500
}

/**
 * Upstream Anthropic error answer (`{type:"error", error:{type, message}}`, or a gateway's HTML
 * or text) → OpenAI status and `{error:{message,type,param,code}}` body.
 */
export function chatErrorFromAnthropic(status: number, body: string): ConvertedError {
  const read = readUpstreamError(body)
  const mapped = openaiError(status, asString(read.error?.type), upstreamErrorMessage(status, read))
  return { status: mapped.status, body: JSON.stringify({ error: mapped.error }) }
}

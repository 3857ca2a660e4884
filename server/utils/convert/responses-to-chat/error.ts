import type { ConvertedError, JsonObject } from '../types'
import type { OpenaiErrorObject } from '../openai-to-anthropic/error'
import { openaiError } from '../openai-to-anthropic/error'
import { readUpstreamError, upstreamErrorMessage } from '../../http/upstream-error'
import { asString } from '../values'

const CONTEXT_TOO_LONG = /maximum context length|context (?:window|length)|too many tokens|prompt is too long/i
const OUT_OF_CREDIT = /insufficient[_ ](?:quota|balance)|billing|credit/i

/**
 * Classifies a Chat provider's error for a Responses client, with the codes Codex acts on:
 * `context_length_exceeded` (it compacts), `insufficient_quota` (fatal), `rate_limit_exceeded`
 * (it waits), `server_is_overloaded` / `server_error` (it retries). Providers word these
 * differently (DeepSeek answers 402 "Insufficient Balance"), so code, type and message all count.
 * `status` is undefined for an error inside a stream.
 */
export function classifyChatError(status: number | undefined, err: JsonObject | undefined, message: string): { status: number, error: OpenaiErrorObject } {
  const said = `${asString(err?.code) ?? ''} ${asString(err?.type) ?? ''}`
  const make = (out: number, type: string, code: string) => ({ status: out, error: { message, type, param: null, code } })
  if (said.includes('context_length_exceeded') || CONTEXT_TOO_LONG.test(message)) return make(400, 'invalid_request_error', 'context_length_exceeded')
  if (said.includes('insufficient_quota') || status === 402 || ((status === 429 || status === undefined) && OUT_OF_CREDIT.test(`${said} ${message}`))) {
    return make(429, 'insufficient_quota', 'insufficient_quota')
  }
  if (status === undefined) {
    if (/rate_limit/.test(said)) return make(429, 'rate_limit_error', 'rate_limit_exceeded')
    return openaiError(/overload/i.test(`${said} ${message}`) ? 503 : 500, undefined, message)
  }
  return openaiError(status, undefined, message)
}

/** An upstream Chat error answer → the Responses client's status and `{error:{message,type,param,code}}`. */
export function responsesErrorFromChat(status: number, body: string): ConvertedError {
  const read = readUpstreamError(body)
  const mapped = classifyChatError(status, read.error, upstreamErrorMessage(status, read))
  return { status: mapped.status, body: JSON.stringify({ error: mapped.error }) }
}

import type { JsonObject } from '../convert/types'
import { isObject, parseObject } from '../convert/values'
import { formatEvent, type ParsedEvent } from './frames'
import type { SseDialect } from './protocols'

/** The events that end a Responses stream; nothing the client needs comes after them. */
export const RESPONSES_TERMINAL_EVENTS = ['response.completed', 'response.failed', 'response.incomplete'] as const

/** The events every Responses stream opens with (`queued` in background mode), before it can fail. */
const OPENING_EVENTS = new Set(['response.created', 'response.in_progress', 'response.queued'])
/** The `type` of an event whose data starts with it, as OpenAI writes them: read without parsing the (large) object. */
const LEADING_TYPE = /^\{\s*"type"\s*:\s*"([^"]+)"/

/** What an error code of the Responses API stands for as an HTTP status (stream errors carry none). */
const CODE_STATUS: Record<string, number> = {
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  context_length_exceeded: 400,
  invalid_request_error: 400,
  invalid_prompt: 400,
  invalid_api_key: 401,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  server_error: 500,
  server_is_overloaded: 503,
  slow_down: 503,
}

/**
 * The error of a first event that is one: `error` (top-level `{code,message}` as documented, or
 * nested `{error:{…}}` as recorded live streams send it) or `response.failed` (`response.error`).
 */
function firstEventError(first: ParsedEvent): JsonObject | undefined {
  const json = parseObject(first.data)
  const type = json?.type ?? first.event
  if (type === 'error') return isObject(json?.error) ? json.error : json ?? {}
  if (type === 'response.failed') {
    const response = isObject(json?.response) ? json.response : undefined
    return isObject(response?.error) ? response.error : {}
  }
  return undefined
}

/**
 * An upstream Responses stream error in OpenAI's error-body shape, `{error:{message,type,param,code}}`,
 * as the SDKs and Codex read a refused request.
 */
export function responsesErrorBody(error: JsonObject, status: number): string {
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? error.code : null
  const type = typeof error.type === 'string' ? error.type : typeof code === 'string' && CODE_STATUS[code] ? code : status >= 500 ? 'server_error' : 'invalid_request_error'
  const message = typeof error.message === 'string' && error.message ? error.message : `upstream stream failed (${code ?? type})`
  return JSON.stringify({ error: { message, type, param: typeof error.param === 'string' ? error.param : null, code } })
}

/** The status an upstream Responses error stands for: by `code`, then `type`, then a numeric code; 502 otherwise. */
export function statusOfResponsesError(error: JsonObject): number {
  for (const v of [error.code, error.type]) {
    if (typeof v === 'string' && CODE_STATUS[v]) return CODE_STATUS[v]
  }
  const n = Number(error.code ?? error.status)
  return n >= 400 && n < 600 ? n : 502
}

/**
 * OpenAI Responses streams: `event: <type>` + `data: {"type":<type>,…}`, no `[DONE]`; the stream
 * is over after `response.completed`, `.failed` or `.incomplete`. A failure after the first byte
 * is sent as an `error` event (the SDKs throw on it) followed by `response.failed` (what Codex
 * reads: any code it does not know makes it retry the turn).
 */
export const responsesSse: SseDialect = {
  // A comment: legal for every SSE parser, and not an event the SDKs would have to know.
  pingFrame: ': ping\n\n',
  terminalMarkers: RESPONSES_TERMINAL_EVENTS.flatMap(t => [`event: ${t}`, `data: {"type":"${t}"`]),
  errorFrame: (message) => {
    const fields = { code: 'server_error', message, param: null }
    return formatEvent('error', JSON.stringify({ type: 'error', ...fields, error: { type: 'server_error', ...fields } }))
      + formatEvent('response.failed', JSON.stringify({
        type: 'response.failed',
        response: { id: 'resp_failed', object: 'response', status: 'failed', error: { code: 'server_error', message }, output: [] },
      }))
  },
  statusOfFirstEvent: (first) => {
    const error = firstEventError(first)
    return error && statusOfResponsesError(error)
  },
  isOpeningEvent: (event) => {
    const type = event.event ?? LEADING_TYPE.exec(event.data)?.[1]
    return type !== undefined && OPENING_EVENTS.has(type)
  },
  errorBodyOfFirstEvent: (first) => {
    const error = firstEventError(first) ?? {}
    return responsesErrorBody(error, statusOfResponsesError(error))
  },
}

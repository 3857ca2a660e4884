import { formatEvent } from './frames'

/** What the relay needs to know about one client protocol's SSE. */
export interface SseDialect {
  pingFrame: string
  terminalMarkers: string[]
  errorFrame: (message: string) => string
}

/** Anthropic Messages streams: `event: ping`, end on `message_stop`, fail with `event: error`. */
export const anthropicSse: SseDialect = {
  pingFrame: formatEvent('ping', '{"type":"ping"}'),
  terminalMarkers: ['event: message_stop', 'data: {"type":"message_stop"'],
  errorFrame: message => formatEvent('error', JSON.stringify({ type: 'error', error: { type: 'api_error', message } })),
}

const ANTHROPIC_STREAM_ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

/** The HTTP status an Anthropic `event: error` stands for (an overload arrives as 200 + error event). */
export function statusForAnthropicStreamError(data: string): number {
  try {
    const type = (JSON.parse(data) as { error?: { type?: string } }).error?.type
    return (type && ANTHROPIC_STREAM_ERROR_STATUS[type]) || 502
  }
  catch {
    return 502
  }
}

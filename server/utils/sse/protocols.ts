import { statusOfAnthropicErrorType } from '../http/protocol-error'
import { formatEvent, type ParsedEvent } from './frames'

/** What the relay needs to know about one protocol's SSE. */
export interface SseDialect {
  pingFrame: string
  /** Line starts that only the terminal event has (passthrough watches for them). */
  terminalMarkers: string[]
  errorFrame: (message: string) => string
  /**
   * The HTTP status an error arriving as the stream's first event stands for, or undefined when
   * the first event is not an error. Such a stream can still be retried or failed over.
   */
  statusOfFirstEvent: (first: ParsedEvent) => number | undefined
}

function errorOf(data: string): { type?: string, code?: unknown } | undefined {
  // Checked on every stream's first event: a JSON text can only hold an `error` key if it spells
  // the word out or escapes a letter of it (`\u…`), so most first events skip the parse.
  if (!data.includes('error') && !data.includes('\\u')) return undefined
  try {
    const error = (JSON.parse(data) as { error?: unknown }).error
    return error && typeof error === 'object' ? error as { type?: string } : undefined
  }
  catch {
    return undefined
  }
}

/** Anthropic Messages streams: `event: ping`, end on `message_stop`, fail with `event: error`. */
export const anthropicSse: SseDialect = {
  pingFrame: formatEvent('ping', '{"type":"ping"}'),
  terminalMarkers: ['event: message_stop', 'data: {"type":"message_stop"'],
  errorFrame: message => formatEvent('error', JSON.stringify({ type: 'error', error: { type: 'api_error', message } })),
  // An overload arrives as 200 and then at once `event: error`.
  statusOfFirstEvent: (first) => {
    if (first.event !== 'error') return undefined
    return statusOfAnthropicErrorType(errorOf(first.data)?.type) ?? 502
  },
}

/** OpenAI Chat streams: data-only frames, end on `[DONE]`, comments as keep-alive. */
export const openaiChatSse: SseDialect = {
  pingFrame: ': ping\n\n',
  terminalMarkers: ['data: [DONE]', 'data:[DONE]'],
  errorFrame: message => formatEvent(undefined, JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })),
  // Providers that fail after 200 send `data: {"error": …}`; its code is a status when numeric.
  statusOfFirstEvent: (first) => {
    const error = errorOf(first.data)
    if (!error) return undefined
    const code = Number(error.code)
    return code >= 400 && code < 600 ? code : 502
  },
}

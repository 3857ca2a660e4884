import { statusOfAnthropicErrorType } from '../http/protocol-error'
import { errorEnvelope } from '../http/upstream-error'
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
  /**
   * Events that open every stream before anything can go wrong (Responses' `response.created`):
   * the prelude reads past them to the event that tells. Dialects without such events leave it out.
   */
  isOpeningEvent?: (event: ParsedEvent) => boolean
  /**
   * The error body for the client of a first event that is an error (one `statusOfFirstEvent`
   * gave a status), where the event's data is not already the protocol's error-body shape.
   */
  errorBodyOfFirstEvent?: (first: ParsedEvent) => string
}

/** Anthropic Messages streams: `event: ping`, end on `message_stop`, fail with `event: error`. */
export const anthropicSse: SseDialect = {
  pingFrame: formatEvent('ping', '{"type":"ping"}'),
  terminalMarkers: ['event: message_stop', 'data: {"type":"message_stop"'],
  errorFrame: message => formatEvent('error', JSON.stringify({ type: 'error', error: { type: 'api_error', message } })),
  // An overload arrives as 200 and then at once `event: error`.
  statusOfFirstEvent: (first) => {
    if (first.event !== 'error') return undefined
    const type = errorEnvelope(first.data)?.type
    return statusOfAnthropicErrorType(typeof type === 'string' ? type : undefined) ?? 502
  },
}

/** OpenAI Chat streams: data-only frames, end on `[DONE]`, comments as keep-alive. */
export const openaiChatSse: SseDialect = {
  pingFrame: ': ping\n\n',
  terminalMarkers: ['data: [DONE]', 'data:[DONE]'],
  errorFrame: message => formatEvent(undefined, JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })),
  // Providers that fail after 200 send `data: {"error": …}`; its code is a status when numeric.
  statusOfFirstEvent: (first) => {
    const error = errorEnvelope(first.data)
    if (!error) return undefined
    const code = Number(error.code)
    return code >= 400 && code < 600 ? code : 502
  },
}

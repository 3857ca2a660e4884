import type { JsonObject } from '#server/utils/convert/types'
import { asString, isObject } from '#server/utils/convert/values'

/** Longest slice of a body without a message (an HTML error page, a proxy's text) that is kept. */
const MAX_TEXT = 500

/** What an upstream error body says, read leniently: any provider's JSON, an HTML page, plain text. */
export interface UpstreamError {
  /**
   * The error object: the `error` member of `{"error":{…}}` (Anthropic, OpenAI, Gemini), else
   * the body itself when it is a JSON object (`{"message"}`, `{"detail"}`, `{"code"}` servers).
   * Undefined when the body is not a JSON object.
   */
  error?: JsonObject
  /** The provider's own words, when it gave any (see {@link errorMessageOf}). */
  message?: string
  /** The body on one line, cut to 500 characters; what is left to show when there is no message. */
  text: string
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  }
  catch {
    return undefined
  }
}

/**
 * The message of an error value: `message`, then FastAPI's `detail`, then the value itself when
 * it is a string (`{"error":"model is required"}` from some OpenAI-compatible servers).
 */
export function errorMessageOf(error: unknown): string | undefined {
  if (!isObject(error)) return asString(error) || undefined
  return asString(error.message) || asString(error.detail) || undefined
}

/** Reads an upstream error body into its error object, message and a one-line text. */
export function readUpstreamError(body: string): UpstreamError {
  const text = body.replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT)
  const root = parseJson(body)
  if (!isObject(root)) return { text }
  const error = isObject(root.error) ? root.error : root
  return { error, message: errorMessageOf(root.error ?? root), text }
}

/**
 * The message to show a client for an upstream error: the provider's own when it gave one,
 * else the status and whatever the body held, so a gateway's HTML page still explains itself.
 */
export function upstreamErrorMessage(status: number, read: UpstreamError): string {
  return read.message ?? `upstream returned HTTP ${status}${read.text ? `: ${read.text}` : ''}`
}

/**
 * The `error` object of a JSON text shaped `{"error":{…}}`, the envelope both protocols use for
 * an error inside a stream; undefined for any other text, so ordinary events never read as errors.
 */
export function errorEnvelope(text: string): JsonObject | undefined {
  // Checked on every stream's first event: a JSON text can only hold an `error` key if it spells
  // the word out or escapes a letter of it (`\u…`), so most first events skip the parse.
  if (!text.includes('error') && !text.includes('\\u')) return undefined
  const root = parseJson(text)
  return isObject(root) && isObject(root.error) ? root.error : undefined
}

import type { IncomingHttpHeaders } from 'node:http'
import { CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '#server/utils/json/char-codes'
import { stringEnd } from '#server/utils/json/string-end'
import type { ParsedRequest } from './types'

/** A client mistake, answered with a 400 in the caller's protocol shape. */
export class BadRequestError extends Error {
  readonly status = 400
}

/**
 * How deeply objects and arrays may nest in a request body. Real requests stay far below it (a
 * tool's JSON schema a dozen levels, messages a handful); a body nested thousands deep is an
 * attack on every recursive walk after the parser (JSON.stringify among them throws RangeError).
 */
export const MAX_JSON_DEPTH = 128

/**
 * Whether the JSON `text` nests deeper than `limit`: one pass counting brackets outside strings.
 * It does not validate; JSON.parse does that afterwards. Each string is skipped with a native
 * `indexOf` for its closing quote rather than stepped through: most of an agent's request is
 * string (prompts, tool descriptions, file contents), and a Claude Code first turn (88 KB) took
 * 133 µs byte by byte, 21 µs this way (JSON.parse itself 55 µs). Text with many escaped quotes
 * costs an `indexOf` per quote, about what stepping cost; a body of nothing but tiny strings about
 * twice what stepping cost (3.6 MB of them: 9.6 ms, where JSON.parse then takes 25).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = stringEnd(text, i)
      // An unterminated string holds no more structure; JSON.parse reports it.
      if (end < 0) return false
      i = end - 1
    }
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limit) return true
    }
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--
  }
  return false
}

/**
 * Parses a JSON request body once and checks what every endpoint needs before routing.
 * `requireModel` is off only where the protocol lets the model be omitted. The decoded text is
 * not kept: with the raw bytes and the parsed object, it would be a third copy of the body.
 */
export function parseRequest(raw: Buffer, headers: IncomingHttpHeaders, search: string, requireModel = true): ParsedRequest {
  const text = raw.toString('utf8')
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BadRequestError(`Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  }
  catch (err) {
    throw new BadRequestError(`Request body is not valid JSON: ${(err as Error).message}`)
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new BadRequestError('Request body must be a JSON object')
  }
  const body = json as Record<string, unknown>
  const model = body.model
  if (model !== undefined && typeof model !== 'string') throw new BadRequestError('model: must be a string')
  if (requireModel && (typeof model !== 'string' || model.trim() === '')) throw new BadRequestError('model: field required')
  return { raw, json: body, model: (model ?? '').trim(), stream: body.stream === true, headers, search }
}

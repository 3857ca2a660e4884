import type { IncomingHttpHeaders } from 'node:http'
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '#server/utils/json/char-codes'
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
 * Whether the JSON text in `raw` nests deeper than `limit`: one pass over the bytes counting
 * brackets outside strings (multi-byte UTF-8 never contains these ASCII bytes). It does not
 * validate; JSON.parse does that afterwards.
 */
export function nestsDeeperThan(raw: Uint8Array, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) inString = false
    }
    else if (b === QUOTE) inString = true
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > limit) return true
    }
    else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--
  }
  return false
}

/**
 * Parses a JSON request body once and checks what every endpoint needs before routing.
 * `requireModel` is off only where the protocol lets the model be omitted. The decoded text is
 * not kept: with the raw bytes and the parsed object, it would be a third copy of the body.
 */
export function parseRequest(raw: Buffer, headers: IncomingHttpHeaders, search: string, requireModel = true): ParsedRequest {
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new BadRequestError(`Request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`)
  }
  let json: unknown
  try {
    json = JSON.parse(raw.toString('utf8'))
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

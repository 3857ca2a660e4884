import type { IncomingHttpHeaders } from 'node:http'
import type { ParsedRequest } from './types'

/** A client mistake, answered with a 400 in the caller's protocol shape. */
export class BadRequestError extends Error {
  readonly status = 400
}

/**
 * Parses a JSON request body once and checks what every endpoint needs before routing.
 * `requireModel` is off only where the protocol lets the model be omitted.
 */
export function parseRequest(raw: Buffer, headers: IncomingHttpHeaders, search: string, requireModel = true): ParsedRequest {
  const text = raw.toString('utf8')
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
  return { raw, text, json: body, model: (model ?? '').trim(), stream: body.stream === true, headers, search }
}

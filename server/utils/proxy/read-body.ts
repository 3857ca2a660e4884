import type { IncomingMessage } from 'node:http'

/** Thrown when a request body exceeds `MAX_REQUEST_BODY_MB`. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body too large: the maximum is ${Math.round(limitBytes / 1024 / 1024)} MB (MAX_REQUEST_BODY_MB)`)
  }
}

/**
 * Reads the raw request body once, refusing it as soon as it passes the limit (by
 * `content-length` before reading, or while reading a chunked body) so an oversized upload is
 * never buffered whole.
 */
export async function readBodyLimited(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes)
    chunks.push(chunk as Buffer)
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)
}

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
 * never buffered whole. Event listeners rather than `for await`: this runs on every request.
 */
export function readBodyLimited(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limitBytes) {
        req.off('data', onData)
        req.resume()
        reject(new BodyTooLargeError(limitBytes))
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)))
    req.once('error', reject)
  })
}

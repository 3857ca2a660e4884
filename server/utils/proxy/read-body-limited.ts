import type { IncomingMessage } from 'node:http'
import type { BodyReservation } from './body-budget'

/** Thrown when a request body exceeds `MAX_REQUEST_BODY_MB`. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body too large: the maximum is ${Math.round(limitBytes / 1024 / 1024)} MB (MAX_REQUEST_BODY_MB)`)
  }
}

/**
 * Reads the raw request body once, refusing it as soon as it passes the limit (by
 * `content-length` before reading, or while reading a chunked body) so an oversized upload is
 * never buffered whole. The bytes are taken from `reservation` (the process-wide budget) before
 * they are buffered: by `content-length` up front, or chunk by chunk. With a `content-length`
 * the chunks are copied into one buffer of that size as they come, so the body is never held
 * twice (chunks plus their concatenation). Event listeners rather than `for await`: this runs
 * on every request.
 */
export function readBodyLimited(req: IncomingMessage, limitBytes: number, reservation: BodyReservation): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  const sized = req.headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0
  if (sized && declared > limitBytes) return Promise.reject(new BodyTooLargeError(limitBytes))
  try {
    if (sized) reservation.grow(declared)
  }
  catch (err) {
    return Promise.reject(err)
  }
  return new Promise((resolve, reject) => {
    const whole = sized ? Buffer.allocUnsafe(declared) : undefined
    const chunks: Buffer[] = []
    let size = 0
    const fail = (err: Error) => {
      req.off('data', onData)
      req.resume()
      reject(err)
    }
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limitBytes) return fail(new BodyTooLargeError(limitBytes))
      if (whole) {
        // node:http never delivers more than content-length; the check keeps the copy in bounds regardless.
        if (size + chunk.length > whole.length) return fail(new BodyTooLargeError(limitBytes))
        chunk.copy(whole, size)
      }
      else {
        try {
          reservation.grow(chunk.length)
        }
        catch (err) {
          return fail(err as Error)
        }
        chunks.push(chunk)
      }
      size += chunk.length
    }
    req.on('data', onData)
    req.once('end', () => {
      if (whole) resolve(size === whole.length ? whole : whole.subarray(0, size))
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    })
    req.once('error', reject)
  })
}

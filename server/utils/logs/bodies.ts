/** Failed bodies are kept up to this many bytes each (`LOG_FAILED_BODIES=true`). */
export const MAX_BODY_BYTES = 64 * 1024

const TRUNCATED = '\n…[truncated]'

/** Cuts a body to `maxBytes` of UTF-8 (never inside a character), marking the cut. */
export function capBody(body: string, maxBytes = MAX_BODY_BYTES): string {
  if (body.length * 3 <= maxBytes || Buffer.byteLength(body) <= maxBytes) return body
  const room = maxBytes - Buffer.byteLength(TRUNCATED)
  // Decoding a cut buffer drops a split trailing character as U+FFFD; strip it.
  return Buffer.from(body).subarray(0, room).toString('utf8').replace(/\uFFFD$/, '') + TRUNCATED
}

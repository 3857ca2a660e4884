import { maskKey } from '#server/utils/admin/mask'

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

/**
 * Replaces every occurrence of the given secrets (upstream keys, the access key) in a body with
 * their masked form, longest first so a key containing another is masked whole. Secrets shorter
 * than 8 characters are masked too, but are more likely to also match innocent text.
 */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const unique = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4))].sort((a, b) => b.length - a.length)
  let out = text
  for (const secret of unique) out = out.split(secret).join(maskKey(secret))
  return out
}

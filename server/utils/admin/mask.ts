/**
 * Masks an upstream key the way cc-bridge shows it: up to 5 characters → `***`; up to 10 → the
 * first 3 and last 2; longer → the first 8 and last 5. Enough to tell keys apart, not to use one.
 */
export function maskKey(key: string): string {
  if (key.length <= 5) return '***'
  if (key.length <= 10) return `${key.slice(0, 3)}***${key.slice(-2)}`
  return `${key.slice(0, 8)}***${key.slice(-5)}`
}

/** `scheme://user:password@`: the userinfo of an absolute URL, up to the first `/`, `?` or `#`. */
const URL_PASSWORD = /^([a-z][\w+.-]*:\/\/[^/?#@:]*:)([^/?#]*)@/i

/**
 * A URL with its password masked: `https://user:secret@host/v1` → `https://user:***@host/v1`;
 * the rest of the text is left as it was written. A URL without a password comes back unchanged.
 */
export function maskUrlCredentials(url: string): string {
  return url.replace(URL_PASSWORD, (_all, head: string, password: string) => (password ? `${head}***@` : _all))
}

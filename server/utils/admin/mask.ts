/**
 * Masks an upstream key the way the Go cc-bridge shows it: up to 5 characters → `***`; up to 10 → the
 * first 3 and last 2; longer → the first 8 and last 5. Enough to tell keys apart, not to use one.
 */
export function maskKey(key: string): string {
  if (key.length <= 5) return '***'
  if (key.length <= 10) return `${key.slice(0, 3)}***${key.slice(-2)}`
  return `${key.slice(0, 8)}***${key.slice(-5)}`
}

/** The shortest leading part of a key that is masked when a text cuts the key off. */
const MIN_KEY_PREFIX = 12

/**
 * Masks every occurrence of the given keys in a text (an upstream's error body echoing the key it
 * was sent, whole or cut off after its first characters): a whole key becomes {@link maskKey}'s
 * form, a leading part of at least 12 characters its first 8 and `***`. Keys under 6 characters
 * are left alone; masking those would mangle ordinary words.
 */
export function maskKeysIn(text: string, keys: readonly string[]): string {
  let out = text
  for (const key of keys) {
    if (key.length < 6) continue
    const head = key.slice(0, Math.min(MIN_KEY_PREFIX, key.length))
    let at = out.indexOf(head)
    while (at >= 0) {
      let n = head.length
      while (n < key.length && out[at + n] === key[n]) n++
      const masked = n === key.length ? maskKey(key) : `${key.slice(0, 8)}***`
      out = out.slice(0, at) + masked + out.slice(at + n)
      at = out.indexOf(head, at + masked.length)
    }
  }
  return out
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

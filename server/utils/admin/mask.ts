/**
 * Masks an upstream key the way the Go cc-bridge shows it: up to 5 characters → `***`; up to 10 → the
 * first 3 and last 2; longer → the first 8 and last 5. Enough to tell keys apart, not to use one.
 */
export function maskKey(key: string): string {
  if (key.length <= 5) return '***'
  if (key.length <= 10) return `${key.slice(0, 3)}***${key.slice(-2)}`
  return `${key.slice(0, 8)}***${key.slice(-5)}`
}

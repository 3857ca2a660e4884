/** delta-seconds; decimals are accepted because some providers send them. */
const DELTA_SECONDS = /^\d+(?:\.\d+)?$/

/** All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with the day name. */
const HTTP_DATE = /^(?:mon|tue|wed|thu|fri|sat|sun)/i

/**
 * Seconds to wait from a `retry-after` header: delta-seconds (`120`) or an HTTP-date, counted
 * from `now` (ms since the epoch). A date already past reads as 0: retry now. A repeated header
 * (an array) is read by its first value. Undefined when absent, negative or unreadable, so the
 * caller falls back to its own wait.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim()
  if (!text) return undefined
  if (DELTA_SECONDS.test(text)) return Number(text)
  if (!HTTP_DATE.test(text)) return undefined
  // asctime carries no zone, and Date.parse would read it in the machine's local time.
  const at = Date.parse(/GMT$/i.test(text) ? text : `${text} GMT`)
  return Number.isFinite(at) ? Math.max(0, (at - now) / 1000) : undefined
}

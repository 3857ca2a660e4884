/**
 * How unset cache prices derive from the input price: 5-minute writes at 1.25×, reads at 0.1×.
 * Apart from the pricing schemas (which re-export them) so that code pricing requests off the
 * event loop (the request log's writer thread) does not carry zod along.
 */
export const CACHE_WRITE_FACTOR = 1.25
export const CACHE_READ_FACTOR = 0.1
/** Anthropic bills 1-hour cache writes at 2× input, i.e. 1.6× the 5-minute write price. */
export const CACHE_WRITE_1H_OVER_5M = 2 / CACHE_WRITE_FACTOR

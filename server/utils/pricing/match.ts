/**
 * Prefix lookup for model names, shared by the price table and the channels' price multipliers.
 * The Go cc-bridge took the first prefix in map order, so `gpt-5.1` or `gpt-5.1-codex` could
 * price `gpt-5.1-codex-max` from one run to the next; here the longest key wins.
 */

/** A set of keys compiled for repeated lookups: longest first, lowercased once. */
export interface PrefixMatcher {
  /** The key that prices `model`, or undefined when none is a prefix of it. */
  match(model: string): string | undefined
}

/**
 * Compiles `keys` for {@link PrefixMatcher.match}: the longest key that is a prefix of the model,
 * ignoring case, wins (an exact name is the longest prefix there is). Keys of the same length
 * can only tie when they differ in case alone; then the one whose case matches the model wins,
 * else the first in code-point order. The price table refuses such twins, so this only decides
 * between `priceMultipliers` keys written by hand.
 */
export function prefixMatcher(keys: Iterable<string>): PrefixMatcher {
  const sorted = [...keys]
    .map(key => ({ key, lower: key.toLowerCase() }))
    .sort((a, b) => b.lower.length - a.lower.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return {
    match(model) {
      const lower = model.toLowerCase()
      let found: { key: string, length: number } | undefined
      for (const { key, lower: k } of sorted) {
        if (found && k.length < found.length) break
        if (!lower.startsWith(k)) continue
        if (model.startsWith(key)) return key
        found ??= { key, length: k.length }
      }
      return found?.key
    },
  }
}

/** One-off lookup; compile with {@link prefixMatcher} when the keys are reused. */
export function longestPrefix(keys: Iterable<string>, model: string): string | undefined {
  return prefixMatcher(keys).match(model)
}

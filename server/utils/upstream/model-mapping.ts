const SUFFIX = /^(.*?)(\([^()]*\))$/

function splitSuffix(model: string): { base: string, suffix: string } {
  const m = SUFFIX.exec(model)
  return m ? { base: m[1]!.trim(), suffix: m[2]! } : { base: model, suffix: '' }
}

function withSuffix(target: string, suffix: string): string {
  return suffix && !SUFFIX.test(target) ? `${target}${suffix}` : target
}

/**
 * Rewrites a requested model through a channel's `modelMapping`. Order: exact key; then the base
 * model without a `(suffix)`, re-applying the suffix; then the longest key the model contains (the
 * Go cc-bridge's substring rule, so `"sonnet"` maps every sonnet). The Go cc-bridge also matched
 * keys that merely contain the model, which let a short model like `"o"` hit almost any key; that
 * direction is left out on purpose.
 */
export function mapModel(model: string, mapping: Record<string, string> | undefined): string {
  const requested = model.trim()
  if (!mapping) return requested
  const exact = mapping[requested]
  if (exact !== undefined) return exact
  const { base, suffix } = splitSuffix(requested)
  if (suffix && mapping[base] !== undefined) return withSuffix(mapping[base], suffix)
  const needle = base.toLowerCase()
  let best: string | undefined
  for (const key of Object.keys(mapping)) {
    if (key && needle.includes(key.toLowerCase()) && (best === undefined || key.length > best.length)) best = key
  }
  return best === undefined ? requested : withSuffix(mapping[best]!, suffix)
}

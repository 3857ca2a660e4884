import type { JsonObject } from './types'

/**
 * Readers for untrusted JSON, shared by the converters: malformed input reads as absent or
 * empty instead of throwing, so a converter never crashes on a provider's quirk.
 */

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value as a JSON object, or undefined for anything else (arrays included). */
export function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined
}

/** The value as an array; anything else reads as empty so malformed input never throws. */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** The value when it is a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The value when it is a finite number, else 0 (usage counters are summed and subtracted). */
export function asCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0
}

/** A JSON text parsed as an object, or undefined when it is not valid JSON or not an object. */
export function parseObject(text: string): JsonObject | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return isObject(value) ? value : undefined
  }
  catch {
    return undefined
  }
}

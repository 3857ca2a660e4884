import type { JsonObject } from '../types'

/** The value as a JSON object, or undefined for anything else (arrays included). */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as JsonObject : undefined
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

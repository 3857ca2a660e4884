import { randomUUID } from 'node:crypto'
import type { NewId } from './types'

/**
 * The id minter converters use unless one is injected: `<prefix>_` and 32 random hex digits.
 * It lives beside the converters, not in them, so they stay pure and tests can count instead.
 */
export const randomId: NewId = prefix => `${prefix}_${randomUUID().replaceAll('-', '')}`

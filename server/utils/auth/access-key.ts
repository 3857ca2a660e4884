import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const MIN_ACCESS_KEY_LENGTH = 16
export const ACCESS_KEY_FILE = 'access-key'

/**
 * The Go cc-bridge's documented default for PROXY_ACCESS_KEY. It is long enough to pass the
 * length check, and anyone who read the docs knows it, so like the Go cc-bridge we refuse it.
 */
export const PLACEHOLDER_ACCESS_KEY = 'your-proxy-access-key'

const digest = (s: string) => createHash('sha256').update(s).digest()

/** Builds a checker that compares a presented key with the access key in constant time. */
export function createKeyChecker(accessKey: string): (presented: string | undefined) => boolean {
  const expected = digest(accessKey)
  // Hashing both sides gives equal-length buffers, so timingSafeEqual never leaks the length.
  return presented => presented !== undefined && timingSafeEqual(digest(presented), expected)
}

export interface CredentialSource {
  header(name: string): string | undefined
  query(name: string): string | undefined
  /** `?key=` is honoured only for GET event streams, which cannot set headers (EventSource). */
  allowQueryKey: boolean
}

/** The client credential in cc-bridge's order: x-api-key, x-goog-api-key, Authorization (Bearer optional), ?key=. */
export function extractCredential(src: CredentialSource): string | undefined {
  const apiKey = src.header('x-api-key') || src.header('x-goog-api-key')
  if (apiKey) return apiKey.trim()
  const auth = src.header('authorization')
  if (auth) return auth.replace(/^Bearer\s+/i, '').trim()
  return src.allowQueryKey ? src.query('key') : undefined
}

export interface ResolvedAccessKey {
  key: string
  /** Set when the key was generated on this start: print it once. */
  generated: boolean
  source: 'env' | 'file'
}

/**
 * Decides the access key at start-up: `PROXY_ACCESS_KEY` when set (refused below 16 chars and
 * when it is the Go cc-bridge's placeholder); otherwise the key stored in `<configDir>/access-key`, generating one (mode 0600) on first start.
 */
export function resolveAccessKey(envKey: string | undefined, configDir: string): ResolvedAccessKey {
  if (envKey !== undefined) {
    if (envKey.trim() === PLACEHOLDER_ACCESS_KEY) {
      throw new Error(`PROXY_ACCESS_KEY is still the placeholder "${PLACEHOLDER_ACCESS_KEY}"; set a secret of at least ${MIN_ACCESS_KEY_LENGTH} characters, or unset it to have one generated`)
    }
    if (envKey.length < MIN_ACCESS_KEY_LENGTH) {
      throw new Error(`PROXY_ACCESS_KEY must be at least ${MIN_ACCESS_KEY_LENGTH} characters (got ${envKey.length})`)
    }
    return { key: envKey, generated: false, source: 'env' }
  }
  const file = join(configDir, ACCESS_KEY_FILE)
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim()
    if (stored.length < MIN_ACCESS_KEY_LENGTH) throw new Error(`${file} holds a key shorter than ${MIN_ACCESS_KEY_LENGTH} characters; delete it to generate a new one`)
    return { key: stored, generated: false, source: 'file' }
  }
  mkdirSync(configDir, { recursive: true })
  const key = `ccb-${randomBytes(24).toString('base64url')}`
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' })
  return { key, generated: true, source: 'file' }
}

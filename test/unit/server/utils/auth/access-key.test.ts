import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createKeyChecker, extractCredential, resolveAccessKey } from '#server/utils/auth/access-key'

const src = (headers: Record<string, string>, query: Record<string, string> = {}, allowQueryKey = false) => ({
  header: (n: string) => headers[n], query: (n: string) => query[n], allowQueryKey,
})

describe('extractCredential', () => {
  it('follows x-api-key, x-goog-api-key, Authorization, ?key= in that order', () => {
    expect(extractCredential(src({ 'x-api-key': 'a', 'x-goog-api-key': 'b', 'authorization': 'Bearer c' }))).toBe('a')
    expect(extractCredential(src({ 'x-goog-api-key': 'b', 'authorization': 'Bearer c' }))).toBe('b')
    expect(extractCredential(src({ authorization: 'Bearer c' }))).toBe('c')
    expect(extractCredential(src({ authorization: 'raw-token' }))).toBe('raw-token')
    expect(extractCredential(src({}, { key: 'q' }, true))).toBe('q')
  })
  it('ignores ?key= unless allowed (GET event streams only)', () => {
    expect(extractCredential(src({}, { key: 'q' }, false))).toBeUndefined()
  })
})

describe('createKeyChecker', () => {
  it('accepts only the exact key', () => {
    const check = createKeyChecker('the-access-key-123456')
    expect(check('the-access-key-123456')).toBe(true)
    expect(check('the-access-key-12345')).toBe(false)
    expect(check('the-access-key-1234567')).toBe(false)
    expect(check('')).toBe(false)
    expect(check(undefined)).toBe(false)
  })
})

describe('resolveAccessKey', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'ccb-key-'))
  it('uses PROXY_ACCESS_KEY and refuses one under 16 characters', () => {
    expect(resolveAccessKey('0123456789abcdef', dir())).toEqual({ key: '0123456789abcdef', generated: false, source: 'env' })
    expect(() => resolveAccessKey('0123456789abcde', dir())).toThrow(/at least 16 characters/)
  })
  it('refuses the Go cc-bridge\'s placeholder key, which passes the length check', () => {
    expect(() => resolveAccessKey('your-proxy-access-key', dir())).toThrow('PROXY_ACCESS_KEY is still the placeholder "your-proxy-access-key"; set a secret of at least 16 characters, or unset it to have one generated')
    expect(() => resolveAccessKey(' your-proxy-access-key\n', dir())).toThrow(/placeholder/)
    expect(resolveAccessKey('your-proxy-access-key-but-changed', dir()).key).toBe('your-proxy-access-key-but-changed')
  })
  it('generates a key into access-key with mode 0600, then reuses it', () => {
    const d = dir()
    const first = resolveAccessKey(undefined, d)
    expect(first.generated).toBe(true)
    expect(first.key.length).toBeGreaterThanOrEqual(32)
    expect(readFileSync(join(d, 'access-key'), 'utf8').trim()).toBe(first.key)
    expect(statSync(join(d, 'access-key')).mode & 0o777).toBe(0o600)
    expect(resolveAccessKey(undefined, d)).toEqual({ key: first.key, generated: false, source: 'file' })
  })
  it('refuses a stored key that is too short', () => {
    const d = dir()
    writeFileSync(join(d, 'access-key'), 'short\n')
    expect(() => resolveAccessKey(undefined, d)).toThrow(/shorter than 16/)
  })
})

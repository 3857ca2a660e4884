import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { LOGIN_LOCK_MS, MAX_LOGIN_FAILURES, useAuthStore } from '../../../stores/auth'

const GOOD = 'the-right-access-key-0123'

function memoryStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    clear: () => items.clear(),
    getItem: k => items.get(k) ?? null,
    key: i => [...items.keys()][i] ?? null,
    removeItem: k => void items.delete(k),
    setItem: (k, v) => void items.set(k, String(v)),
  }
}

/** `$fetch` as the server answers `GET /api/health/details`: 200 for the right key, else 401 (or `status`). */
function fakeServer(status = 401, headers: Record<string, string> = {}) {
  return vi.fn(async (_url: string, opts: { headers: Record<string, string> }) => {
    if (opts.headers['x-api-key'] === GOOD) return { status: 'healthy' }
    throw Object.assign(new Error(`${status}`), { status, response: { status, headers: new Headers(headers) } })
  })
}

beforeEach(() => {
  vi.stubGlobal('localStorage', memoryStorage())
  vi.stubGlobal('$fetch', fakeServer())
  setActivePinia(createPinia())
})

describe('useAuthStore', () => {
  it('keeps an accepted key in localStorage and forgets it on logout', async () => {
    const auth = useAuthStore()
    expect(await auth.login(GOOD)).toEqual({ ok: true })
    expect(auth.loggedIn).toBe(true)
    expect(localStorage.getItem('ccb-key')).toBe(GOOD)
    setActivePinia(createPinia())
    expect(useAuthStore().key).toBe(GOOD)
    useAuthStore().logout()
    expect(localStorage.getItem('ccb-key')).toBeNull()
  })

  it('says how many tries are left, then locks for a minute, across reloads', async () => {
    const auth = useAuthStore()
    const t0 = 1_000_000
    for (let i = 1; i < MAX_LOGIN_FAILURES; i++) {
      expect(await auth.login('wrong', t0)).toEqual({ ok: false, reason: 'wrong-key', attemptsLeft: MAX_LOGIN_FAILURES - i })
    }
    expect(await auth.login('wrong', t0)).toEqual({ ok: false, reason: 'locked', until: t0 + LOGIN_LOCK_MS })
    // A reload (a new store over the same storage) is still locked, even for the right key.
    setActivePinia(createPinia())
    const reloaded = useAuthStore()
    expect(await reloaded.login(GOOD, t0 + 1000)).toMatchObject({ ok: false, reason: 'locked' })
    expect(reloaded.key).toBe('')
    expect(await reloaded.login(GOOD, t0 + LOGIN_LOCK_MS + 1)).toEqual({ ok: true })
  })

  it('takes the server\'s own lockout (429) with its Retry-After', async () => {
    vi.stubGlobal('$fetch', fakeServer(429, { 'retry-after': '300' }))
    const auth = useAuthStore()
    expect(await auth.login('wrong', 5000)).toEqual({ ok: false, reason: 'locked', until: 5000 + 300_000 })
  })

  it('reports an unreachable server without counting a failure', async () => {
    vi.stubGlobal('$fetch', fakeServer(502))
    const auth = useAuthStore()
    expect(await auth.login('whatever')).toMatchObject({ ok: false, reason: 'unreachable' })
    vi.stubGlobal('$fetch', fakeServer())
    expect(await auth.login('wrong')).toMatchObject({ reason: 'wrong-key', attemptsLeft: MAX_LOGIN_FAILURES - 1 })
  })
})

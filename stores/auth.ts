import { defineStore } from 'pinia'
import { computed, ref } from 'vue'

/** Wrong keys in a row before the login form locks itself. */
export const MAX_LOGIN_FAILURES = 5
/** How long the form stays locked, in ms. */
export const LOGIN_LOCK_MS = 60_000

const KEY_STORAGE = 'ccb-key'
const LOCK_STORAGE = 'ccb-login-lock'

/** What a login attempt came to. */
export type LoginResult
  = | { ok: true }
    | { ok: false, reason: 'wrong-key', attemptsLeft: number }
    | { ok: false, reason: 'locked', until: number }
    | { ok: false, reason: 'unreachable', message: string }

interface LockState {
  failures: number
  lockedUntil: number
}

function storage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage
}

function readLock(): LockState {
  try {
    const parsed = JSON.parse(storage()?.getItem(LOCK_STORAGE) ?? '{}') as Partial<LockState>
    return { failures: Number(parsed.failures) || 0, lockedUntil: Number(parsed.lockedUntil) || 0 }
  }
  catch {
    return { failures: 0, lockedUntil: 0 }
  }
}

function statusOf(err: unknown): number | undefined {
  const e = err as { status?: number, statusCode?: number, response?: { status?: number } }
  return e?.status ?? e?.statusCode ?? e?.response?.status
}

function retryAfterMs(err: unknown): number | undefined {
  const header = (err as { response?: { headers?: Headers } })?.response?.headers?.get?.('retry-after')
  const seconds = Number(header)
  return header && Number.isFinite(seconds) ? seconds * 1000 : undefined
}

/**
 * The admin access key. It is kept in localStorage (`ccb-key`) so a reload stays signed in;
 * the server checks it on every call. Wrong guesses are counted across reloads: after
 * {@link MAX_LOGIN_FAILURES} the form locks itself for {@link LOGIN_LOCK_MS} (the server has its
 * own, stricter lockout per address, which a 429 reports).
 */
export const useAuthStore = defineStore('auth', () => {
  const key = ref(storage()?.getItem(KEY_STORAGE) ?? '')
  const lock = ref<LockState>(readLock())
  const loggedIn = computed(() => key.value !== '')

  function saveLock() {
    storage()?.setItem(LOCK_STORAGE, JSON.stringify(lock.value))
  }

  function setKey(value: string) {
    key.value = value
    if (value) storage()?.setItem(KEY_STORAGE, value)
    else storage()?.removeItem(KEY_STORAGE)
  }

  /** Epoch ms until which the form is locked, or 0. */
  function lockedUntil(now = Date.now()): number {
    return lock.value.lockedUntil > now ? lock.value.lockedUntil : 0
  }

  function lockFor(ms: number, now: number) {
    lock.value = { failures: 0, lockedUntil: now + ms }
    saveLock()
  }

  /** Checks `candidate` against `GET /api/health/details` and keeps it when the server accepts it. */
  async function login(candidate: string, now = Date.now()): Promise<LoginResult> {
    const until = lockedUntil(now)
    if (until) return { ok: false, reason: 'locked', until }
    try {
      await $fetch('/api/health/details', { headers: { 'x-api-key': candidate } })
    }
    catch (err) {
      const status = statusOf(err)
      if (status === 429) {
        lockFor(retryAfterMs(err) ?? LOGIN_LOCK_MS, now)
        return { ok: false, reason: 'locked', until: lock.value.lockedUntil }
      }
      if (status !== 401 && status !== 403) return { ok: false, reason: 'unreachable', message: (err as Error).message }
      const failures = lock.value.failures + 1
      if (failures >= MAX_LOGIN_FAILURES) {
        lockFor(LOGIN_LOCK_MS, now)
        return { ok: false, reason: 'locked', until: lock.value.lockedUntil }
      }
      lock.value = { failures, lockedUntil: 0 }
      saveLock()
      return { ok: false, reason: 'wrong-key', attemptsLeft: MAX_LOGIN_FAILURES - failures }
    }
    lock.value = { failures: 0, lockedUntil: 0 }
    saveLock()
    setKey(candidate)
    return { ok: true }
  }

  /** Forgets the key (also what a 401 from any admin call does). */
  function logout() {
    setKey('')
  }

  return { key, loggedIn, login, logout, lockedUntil }
})

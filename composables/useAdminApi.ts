import type { FetchError } from 'ofetch'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Options of an admin API call. */
export interface AdminApiOptions {
  method?: Method
  body?: Record<string, unknown> | unknown[]
  query?: Record<string, string | number | boolean | undefined>
  headers?: Record<string, string>
}

/** One field-level problem the server found (`path` as `priceMultipliers._default.inputMultiplier`). */
export interface AdminApiIssue {
  path: string
  message: string
}

/** A refused admin call: the server's `{error, issues}` with the HTTP status. */
export class AdminApiError extends Error {
  constructor(message: string, readonly status: number, readonly issues: AdminApiIssue[] = []) {
    super(message)
    this.name = 'AdminApiError'
  }

  /** The issues as a form's field errors: the server names `rules[2].errorCodes`, the form `rules.2.errorCodes`. */
  get fieldErrors(): { name: string, message: string }[] {
    return this.issues.map(i => ({ name: i.path.replace(/\[(\d+)\]/g, '.$1'), message: i.message }))
  }
}

function toAdminApiError(err: unknown): AdminApiError {
  const e = err as FetchError<{ error?: string, message?: string, issues?: AdminApiIssue[] }>
  const status = e.status ?? e.statusCode ?? 0
  const data = e.data
  const message = data?.error && data.error !== 'Unauthorized' ? data.error : data?.message ?? data?.error ?? e.message
  return new AdminApiError(message || `HTTP ${status}`, status, Array.isArray(data?.issues) ? data.issues : [])
}

/**
 * `$fetch` for the admin API with the access key. A 401 means the key is gone or changed: it is
 * forgotten and the user sent to `/login`, which brings them back (`?redirect=`) after signing in.
 * Every refusal becomes an {@link AdminApiError} carrying the server's message and field issues.
 */
export function useAdminApi() {
  const auth = useAuthStore()
  const router = useRouter()

  function fetchOptions(opts: AdminApiOptions) {
    return {
      method: opts.method ?? 'GET',
      body: opts.body,
      query: opts.query,
      headers: { 'x-api-key': auth.key, ...opts.headers },
    }
  }

  async function fail(err: unknown): Promise<never> {
    const error = toAdminApiError(err)
    if (error.status === 401) {
      auth.logout()
      const here = router.currentRoute.value
      if (here.path !== '/login') await router.push({ path: '/login', query: { redirect: here.fullPath } })
    }
    throw error
  }

  async function api<T>(path: string, opts: AdminApiOptions = {}): Promise<T> {
    try {
      return await $fetch<T>(path, fetchOptions(opts)) as T
    }
    catch (err) {
      return fail(err)
    }
  }

  /** {@link api} plus the answer's `ETag` (the config revision, for `If-Match`). */
  async function apiWithEtag<T>(path: string, opts: AdminApiOptions = {}): Promise<{ data: T, etag: string | undefined }> {
    try {
      const res = await $fetch.raw<T>(path, fetchOptions(opts))
      return { data: res._data as T, etag: res.headers.get('etag') ?? undefined }
    }
    catch (err) {
      return fail(err)
    }
  }

  return { api, apiWithEtag }
}

/** The live log feed's address: `EventSource` cannot set headers, so the key goes in `?key=` (allowed only there). */
export function useLogStreamUrl(): ComputedRef<string> {
  const auth = useAuthStore()
  return computed(() => `/api/logs/stream?key=${encodeURIComponent(auth.key)}`)
}

import type { ComputedRef } from 'vue'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface AdminApiOptions {
  method?: Method
  body?: unknown
  query?: Record<string, unknown>
  headers?: Record<string, string>
}

/**
 * `$fetch` for the admin API with the access key as `x-api-key`. A 401 means the key is gone or
 * wrong: it is cleared and the user sent to the login page, back here afterwards.
 */
export function useAdminApi() {
  const auth = useAuthStore()
  const route = useRoute()

  async function api<T>(path: string, opts: AdminApiOptions = {}): Promise<T> {
    // Paths are built at run time, so Nitro's typed routes cannot infer the answer: T says it.
    return $fetch<T>(path, {
      method: opts.method,
      body: opts.body as BodyInit | Record<string, unknown> | undefined,
      query: opts.query,
      headers: { ...opts.headers, 'x-api-key': auth.key },
      onResponseError({ response }) {
        if (response.status !== 401) return
        auth.logout()
        void navigateTo({ path: '/login', query: { redirect: route.fullPath } })
      },
    }) as Promise<T>
  }

  return { api }
}

/** The live log stream's URL: EventSource cannot send headers, so the key rides in `?key=`. */
export function useLogStreamUrl(): ComputedRef<string> {
  const auth = useAuthStore()
  return computed(() => `/api/logs/stream?key=${encodeURIComponent(auth.key)}`)
}

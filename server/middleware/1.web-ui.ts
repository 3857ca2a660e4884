import { useServices } from '#server/utils/services'

/**
 * `ENABLE_WEB_UI=false`: API-only mode. `/` answers a JSON banner (so `HEAD /` probes still
 * succeed) and every other UI path a JSON 404; `/v1`, `/api` and `/health` are unaffected.
 */
export default defineEventHandler((event) => {
  if (useServices().env.enableWebUi) return
  const path = event.path.split('?', 1)[0]!
  if (path === '/health' || path.startsWith('/v1/') || path.startsWith('/api/')) return
  setResponseHeader(event, 'content-type', 'application/json')
  if (path === '/') {
    return {
      name: 'cc-bridge',
      mode: 'API Only',
      version: useRuntimeConfig().public.version,
      endpoints: { health: '/health', proxy: '/v1/messages', admin: '/api' },
      message: 'The web UI is disabled (ENABLE_WEB_UI=false).',
    }
  }
  setResponseStatus(event, 404)
  return { error: 'Not found', path, message: 'The web UI is disabled (ENABLE_WEB_UI=false).' }
})

import { checkAccess, isGuardedApiPath } from '#server/utils/auth/guard'
import { useServices } from '#server/utils/services'

/**
 * The access key guards the admin API (`/api/*`), with the same lockout against guessing as
 * `/v1/*` (which checks it in the proxy pipeline, in each protocol's error shape); `/health`,
 * the UI's static files and `HEAD /` (Claude Code's start-up probe) are public.
 */
export default defineEventHandler((event) => {
  if (!isGuardedApiPath(event.path.split('?', 1)[0]!)) return
  const denied = checkAccess(event, useServices())
  if (!denied) return
  setResponseStatus(event, denied.status)
  setResponseHeaders(event, denied.headers)
  return denied.status === 429
    ? { error: 'Too Many Requests', message: denied.message }
    : { error: 'Unauthorized', message: 'Invalid or missing access key' }
})

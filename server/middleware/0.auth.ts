import { isGuardedApiPath, presentedCredential } from '#server/utils/auth/guard'
import { useServices } from '#server/utils/services'

/**
 * The access key guards the admin API (`/api/*`). `/v1/*` checks it in the proxy pipeline, in
 * each protocol's error shape; `/health`, the UI's static files and `HEAD /` (Claude Code's
 * start-up probe) are public.
 */
export default defineEventHandler((event) => {
  if (!isGuardedApiPath(event.path.split('?', 1)[0]!)) return
  if (useServices().isAccessKey(presentedCredential(event))) return
  setResponseStatus(event, 401)
  return { error: 'Unauthorized', message: 'Invalid or missing access key' }
})

import { isGuardedPath, refuseUnauthorized } from '../utils/auth/guard'

/**
 * One access key guards `/v1/*` and `/api/*`; `/health`, the UI's static files and `HEAD /`
 * (Claude Code's start-up probe) are public.
 */
export default defineEventHandler((event) => {
  const path = event.path.split('?', 1)[0]!
  if (!isGuardedPath(path)) return
  const refusal = refuseUnauthorized(event, path)
  if (refusal === undefined) return
  setResponseStatus(event, 401)
  setResponseHeader(event, 'content-type', 'application/json')
  return refusal
})

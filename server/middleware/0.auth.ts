import { extractCredential } from '../utils/auth/access-key'
import { protocolErrorBody, protocolForPath } from '../utils/http/protocol-error'
import { isAccessKey } from '../utils/runtime'

const PUBLIC_API = '/api/_nuxt_icon'

/**
 * One access key guards `/v1/*` and `/api/*` (the UI's data); `/health`, the UI's static files
 * and `HEAD /` (Claude Code's start-up probe) are public. 401s come in each endpoint's own shape.
 */
export default defineEventHandler((event) => {
  const path = event.path.split('?', 1)[0]!
  const isV1 = path === '/v1' || path.startsWith('/v1/')
  const isApi = path === '/api' || path.startsWith('/api/')
  if (!isV1 && !isApi) return
  if (path.startsWith(PUBLIC_API)) return
  const req = event.node.req
  const presented = extractCredential({
    header: name => req.headers[name] as string | undefined,
    query: name => new URL(event.path, 'http://x').searchParams.get(name) ?? undefined,
    allowQueryKey: req.method === 'GET' && String(req.headers.accept ?? '').includes('text/event-stream'),
  })
  if (isAccessKey(presented)) return
  setResponseStatus(event, 401)
  setResponseHeader(event, 'content-type', 'application/json')
  if (isApi) return { error: 'Unauthorized', message: 'Invalid or missing access key' }
  return protocolErrorBody(protocolForPath(path), 401, presented ? 'Invalid access key' : 'Missing access key: send it as x-api-key or Authorization: Bearer')
})

import { protocolErrorBody, protocolForPath } from '../../utils/http/protocol-error'

/** Unknown `/v1/*` paths get a JSON 404 in the caller's protocol shape, not the UI's HTML. */
export default defineEventHandler((event) => {
  const path = event.path.split('?', 1)[0]!
  setResponseStatus(event, 404)
  setResponseHeader(event, 'content-type', 'application/json')
  return protocolErrorBody(protocolForPath(path), 404, `Unknown endpoint: ${event.method} ${path}`)
})

import { proxyParsed, readProxyRequest } from '../../utils/proxy/handle'
import { MESSAGES } from '../../utils/proxy/endpoints'
import { useProxyDeps } from '../../utils/proxy/deps'

export default defineEventHandler(async (event) => {
  const deps = useProxyDeps()
  const req = await readProxyRequest(event, 'anthropic', deps.maxRequestBodyBytes)
  if (req) await proxyParsed(event, req, MESSAGES, deps)
})

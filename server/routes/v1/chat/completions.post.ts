import { CHAT_COMPLETIONS } from '../../../utils/proxy/endpoints'
import { useProxyDeps } from '../../../utils/proxy/deps'
import { proxyParsed, readProxyRequest } from '../../../utils/proxy/handle'

export default defineEventHandler(async (event) => {
  const deps = useProxyDeps()
  const req = await readProxyRequest(event, 'openai', deps.maxRequestBodyBytes)
  if (req) await proxyParsed(event, req, CHAT_COMPLETIONS, deps)
})

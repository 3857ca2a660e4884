import { COUNT_TOKENS } from '../../../utils/proxy/endpoints'
import { useProxyDeps } from '../../../utils/proxy/deps'
import { proxyParsed, readProxyRequest } from '../../../utils/proxy/handle'
import { estimateInputTokens } from '../../../utils/tokens/estimate'

/** Status codes that mean "this upstream has no count_tokens", not "your request is wrong". */
const UNSUPPORTED = new Set([404, 405, 501])

export default defineEventHandler(async (event) => {
  const deps = useProxyDeps()
  const req = await readProxyRequest(event, 'anthropic', deps.maxRequestBodyBytes)
  if (!req) return
  await proxyParsed(event, req, COUNT_TOKENS, deps, (result) => {
    const f = result.failure
    if (f && f.status < 500 && !UNSUPPORTED.has(f.status)) return false
    const res = event.node.res
    res.writeHead(200, { 'content-type': 'application/json', 'x-cc-bridge-estimate': 'chars/3.5' })
    res.end(JSON.stringify({ input_tokens: estimateInputTokens(req.json) }))
    return true
  })
})

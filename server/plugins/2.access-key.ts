import { resolveAccessKey, createKeyChecker } from '../utils/auth/access-key'
import { setLogLevel } from '../utils/log'
import { setAccessKeyChecker, useEnv } from '../utils/runtime'

/** Decides the access key before the first request; a key that is too short stops the server. */
export default defineNitroPlugin(() => {
  let env
  try {
    env = useEnv()
  }
  catch (err) {
    console.error(`[cc-bridge] ${(err as Error).message}`)
    process.exit(1)
  }
  setLogLevel(env.logLevel)
  try {
    const resolved = resolveAccessKey(env.proxyAccessKey, env.configDir)
    setAccessKeyChecker(createKeyChecker(resolved.key))
    if (resolved.generated) {
      // Printed once: the key is stored (mode 0600) and not shown again on later starts.
      console.log([
        '[cc-bridge] No PROXY_ACCESS_KEY set; generated an access key and stored it in',
        `  ${env.configDir}/access-key (mode 0600):`,
        '',
        `  ${resolved.key}`,
        '',
        '  Claude Code:  ANTHROPIC_BASE_URL=http://localhost:' + env.port + ' ANTHROPIC_AUTH_TOKEN=<key> claude',
        '  Admin API:    curl -H "x-api-key: <key>" http://localhost:' + env.port + '/api/channels',
      ].join('\n'))
    }
  }
  catch (err) {
    console.error(`[cc-bridge] ${(err as Error).message}`)
    process.exit(1)
  }
})

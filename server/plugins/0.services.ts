import { createKeyChecker, resolveAccessKey } from '#server/utils/auth/access-key'
import { createConfigStore } from '#server/utils/config/store'
import { readEnv } from '#server/utils/env'
import { log, setLogLevel } from '#server/utils/log'
import { createServices, provideServices, readyServices } from '#server/utils/services'

/** Start-up refusals are one line on stderr and exit code 1, never a stack trace. */
function fatal(prefix: string, error: unknown): never {
  console.error(`${prefix}: ${(error as Error).message}`)
  process.exit(1)
}

/** Printed once: the key is stored (mode 0600) and not shown again on later starts. */
function announceGeneratedKey(key: string, configDir: string, port: number): void {
  console.log([
    '[cc-bridge] No PROXY_ACCESS_KEY set; generated an access key and stored it in',
    `  ${configDir}/access-key (mode 0600):`,
    '',
    `  ${key}`,
    '',
    `  Claude Code:  ANTHROPIC_BASE_URL=http://localhost:${port} ANTHROPIC_AUTH_TOKEN=<key> claude`,
    `  Admin API:    curl -H "x-api-key: <key>" http://localhost:${port}/api/channels`,
  ].join('\n'))
}

/**
 * Builds the one services object: the environment (parsed once), the access key, config.json
 * (loaded synchronously, so a bad file stops the server naming the field), then the database,
 * its stores and the scheduler. Nitro 2 does not await async plugins, so requests wait for the
 * database part through `readyServices()` (the fast path, and a request hook for the rest).
 */
export default defineNitroPlugin((nitroApp) => {
  let env
  try {
    env = readEnv()
  }
  catch (error) {
    fatal('[cc-bridge] cannot start', error)
  }
  setLogLevel(env.logLevel)
  let accessKey
  try {
    accessKey = resolveAccessKey(env.proxyAccessKey, env.configDir)
  }
  catch (error) {
    fatal('[cc-bridge] cannot start', error)
  }
  if (accessKey.generated) announceGeneratedKey(accessKey.key, env.configDir, env.port)
  let config
  try {
    config = createConfigStore({ dir: env.configDir, log })
  }
  catch (error) {
    fatal('[config] cannot start', error)
  }
  config.watch()
  const migrations = useStorage('assets:migrations')
  const building = createServices({ env, config, isAccessKey: createKeyChecker(accessKey.key), migrations: path => migrations.getItem(path) })
  building.catch(error => fatal('[db] start-up failed', error))
  provideServices(building)
  nitroApp.hooks.hook('request', async () => {
    await readyServices()
  })
  nitroApp.hooks.hook('close', async () => {
    await (await readyServices()).close()
  })
})

import { createKeyChecker, resolveAccessKey } from '#server/utils/auth/access-key'
import { createConfigStore } from '#server/utils/config/store'
import { readEnv } from '#server/utils/env'
import { log, setLogLevel } from '#server/utils/log'
import { createServices, provideServices, readyServices, type Services } from '#server/utils/services'

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
 * Nitro's graceful shutdown waits for open connections before it runs the close hook, and a
 * live log stream never ends by itself: it would hold every stop for NITRO_SHUTDOWN_TIMEOUT.
 * So the signals that start the shutdown also end the log streams. Registered after Nitro's own
 * handlers, and only for signals Nitro handles, so a signal's effect on the process is unchanged.
 */
function endLogStreamsOnSignal(building: Promise<Services>): void {
  setImmediate(() => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      if (!process.listenerCount(signal)) continue
      process.on(signal, () => {
        building.then(services => services.requestLog.broadcaster.closeAll(), () => {})
      })
    }
  })
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
  endLogStreamsOnSignal(building)
  nitroApp.hooks.hook('close', async () => {
    await (await readyServices()).close()
  })
})

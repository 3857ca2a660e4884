import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createConfigStore } from '#server/utils/config/store'
import { readEnv } from '#server/utils/env'
import { createServices, provideServices, readyServices, type Services } from '#server/utils/services'

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url))

export const TEST_ACCESS_KEY = 'unit-test-access-key-0123456789'

/**
 * The real services over a config folder and a database (in memory unless `databaseUrl` says
 * otherwise), installed as the process's services, as the services plugin does at start-up.
 */
export async function installTestServices(configDir: string, env: Record<string, string> = {}): Promise<Services> {
  const e = readEnv({ CONFIG_DIR: configDir, DATABASE_URL: ':memory:', LOG_LEVEL: 'error', ...env })
  const config = createConfigStore({ dir: e.configDir, log: { info() {}, warn() {}, error() {} } })
  provideServices(createServices({
    env: e,
    config,
    isAccessKey: presented => presented === TEST_ACCESS_KEY,
    migrations: path => readFile(join(MIGRATIONS, path), 'utf8'),
  }))
  return await readyServices()
}

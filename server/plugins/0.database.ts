import { createDb, setDb } from '../utils/db/client'
import { applyMigrations } from '../utils/db/migrate'
import { createSuspensionStore, setSuspensionStore } from '../utils/db/suspensions'
import { log } from '../utils/log'
import { addStartupTask, startupGate, useEnv } from '../utils/runtime'

// Opens the database, applies pending migrations and loads the suspension cache. Nitro 2 doesn't
// await async plugins, so every request waits on the start-up gate instead (free once it opened).
export default defineNitroPlugin((nitroApp) => {
  const assets = useStorage('assets:migrations')
  const ready = (async () => {
    const env = useEnv()
    const db = await createDb(env.databaseUrl, env.databaseAuthToken)
    const applied = await applyMigrations(db.$client, path => assets.getItem(path))
    log.info(applied.length ? `[db] applied migrations: ${applied.join(', ')}` : '[db] no pending migrations')
    const suspensions = createSuspensionStore(db)
    await suspensions.load()
    setDb(db)
    setSuspensionStore(suspensions)
    nitroApp.hooks.hook('close', async () => {
      await suspensions.flush()
      db.$client.close()
    })
  })().catch((error) => {
    log.error('[db] start-up failed', error)
    process.exit(1)
  })
  addStartupTask(ready)
  nitroApp.hooks.hook('request', () => startupGate())
})

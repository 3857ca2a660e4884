import { setConfigStore } from '../utils/config'
import { createConfigStore } from '../utils/config/store'
import type { ConfigStore } from '../utils/config/store'
import { log } from '../utils/log'
import { useEnv } from '../utils/runtime'

/** An invalid config.json at start-up stops the server, naming the bad field. */
function openStore(): ConfigStore {
  try {
    return createConfigStore({ dir: useEnv().configDir, log })
  }
  catch (error) {
    console.error(`[config] cannot start: ${(error as Error).message}`)
    process.exit(1)
  }
}

// Loads config.json synchronously, so the store exists before the first request (Nitro 2 does
// not await async plugins). Later bad hand edits are logged by the store and shown in
// /api/health/details while the last good config stays in force.
export default defineNitroPlugin((nitroApp) => {
  const store = openStore()
  setConfigStore(store)
  store.watch()
  nitroApp.hooks.hook('close', async () => {
    store.close()
    await store.settled()
  })
})

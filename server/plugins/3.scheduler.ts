import { POOLS } from '#shared/schemas/config'
import type { Config, PoolName, StoredChannel } from '#shared/schemas/config'
import { useConfigStore } from '../utils/config'
import { useScheduler } from '../utils/scheduler/instance'

function syncAll(config: Config): void {
  const scheduler = useScheduler()
  for (const pool of Object.keys(POOLS) as PoolName[]) {
    scheduler.sync(pool, (config[POOLS[pool].channels] ?? []) as StoredChannel[])
  }
}

/** Keeps the scheduler's per-channel state in step with every config save and hot reload. */
export default defineNitroPlugin(() => {
  const store = useConfigStore()
  syncAll(store.get().config)
  store.onChange(snapshot => syncAll(snapshot.config))
})

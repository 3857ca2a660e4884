import { healthSummary } from '#server/utils/health'
import { memoryFigures } from '#server/utils/runtime/idle-memory'
import { useServices } from '#server/utils/services'
import type { HealthDetails } from '#shared/schemas/admin'

/** Admin health: `/health` plus the version, why the file on disk is not in force (if it isn't), the log's queue and the memory. */
export default defineEventHandler((): HealthDetails => {
  const { config: store, env, requestLog } = useServices()
  const { config, revision } = store.get()
  return {
    ...healthSummary(config, env.mode),
    version: { version: useRuntimeConfig().public.version },
    configRevision: revision,
    configErrors: store.lastError ? [store.lastError] : [],
    requestLog: requestLog.stats(),
    memory: memoryFigures(),
  }
})

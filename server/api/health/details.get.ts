import { useConfigStore } from '../../utils/config'
import { healthSummary } from '../../utils/health'
import { useEnv } from '../../utils/runtime'

/** Admin health: `/health` plus the version and why the file on disk is not in force, if it isn't. */
export default defineEventHandler(() => {
  const store = useConfigStore()
  const { config, revision } = store.get()
  return {
    ...healthSummary(config, useEnv().mode),
    version: { version: useRuntimeConfig().public.version },
    configRevision: revision,
    configErrors: store.lastError ? [store.lastError] : [],
  }
})

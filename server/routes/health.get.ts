import { healthSummary } from '#server/utils/health'
import { useServices } from '#server/utils/services'

/** Public liveness: no secrets, only counts and strategies. */
export default defineEventHandler(() => {
  const { config, env } = useServices()
  return healthSummary(config.get().config, env.mode)
})

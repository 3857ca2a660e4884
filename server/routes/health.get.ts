import { useConfigStore } from '../utils/config'
import { healthSummary } from '../utils/health'
import { useEnv } from '../utils/runtime'

/** Public liveness: no secrets, only counts and strategies. */
export default defineEventHandler(() => healthSummary(useConfigStore().get().config, useEnv().mode))

import { log } from '#server/utils/log'
import { mb, startIdleMemoryRelease } from '#server/utils/runtime/idle-memory'

/** Hands a burst's memory back once the server has gone quiet (see startIdleMemoryRelease). */
export default defineNitroPlugin((nitroApp) => {
  const stop = startIdleMemoryRelease({
    onCollect: (before, after) => log.debug(`[memory] idle: heap ${mb(before)} MB → ${mb(after)} MB`),
  })
  nitroApp.hooks.hook('close', stop)
})

import { log } from '#server/utils/log'
import { startIdleMemoryRelease } from '#server/utils/runtime/idle-memory'

const MB = 1024 * 1024

/** Hands a burst's memory back once the server has gone quiet (see startIdleMemoryRelease). */
export default defineNitroPlugin((nitroApp) => {
  const stop = startIdleMemoryRelease({
    onCollect: (before, after) => log.debug(`[memory] idle: heap ${(before / MB).toFixed(0)} MB → ${(after / MB).toFixed(0)} MB`),
  })
  nitroApp.hooks.hook('close', stop)
})

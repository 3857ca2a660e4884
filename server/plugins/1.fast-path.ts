import { withFastPath } from '#server/utils/proxy/entry-points'

/** Serves the proxy endpoints ahead of Nitro's request machinery (see `withFastPath`). */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.h3App.handler = withFastPath(nitroApp.h3App.handler)
})

import { defineNuxtModule } from 'nuxt/kit'
import { resolve } from 'pathe'

/**
 * Puts cc-bridge's `/v1` error handler (server/proxy-error-handler.ts) ahead of Nuxt's: Nitro
 * tries its error handlers in order until one answers, and ours answers only `/v1/**`.
 */
export default defineNuxtModule({
  meta: { name: 'proxy-error-handler' },
  setup(_, nuxt) {
    nuxt.hook('nitro:config', (config) => {
      const existing = config.errorHandler === undefined ? [] : [config.errorHandler].flat()
      config.errorHandler = [resolve(nuxt.options.rootDir, 'server/proxy-error-handler'), ...existing]
    })
  },
})

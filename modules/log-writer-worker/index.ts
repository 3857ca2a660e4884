import { defineNuxtModule } from 'nuxt/kit'
import { bundleLogWriter } from './bundle'

/**
 * Bundles the request log's writer thread next to the built server (see `bundleLogWriter`), where
 * its `libsql` import resolves to the copy Nitro traced (the driver under @libsql/client). Without
 * that file (the dev server) the log writes on the main thread.
 */
export default defineNuxtModule({
  meta: { name: 'log-writer-worker' },
  setup(_, nuxt) {
    if (nuxt.options.dev) return
    nuxt.hook('nitro:init', (nitro) => {
      nitro.hooks.hook('compiled', () => {
        bundleLogWriter(nuxt.options.rootDir, nitro.options.output.serverDir)
      })
    })
  },
})

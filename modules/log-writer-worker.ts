import { copyFile } from 'node:fs/promises'
import { defineNuxtModule } from 'nuxt/kit'
import { join } from 'pathe'

/** The worker's file name next to the built server (`.output/server/`). */
export const LOG_WRITER_FILE = 'log-writer.mjs'

/**
 * Copies the request log's writer thread (server/workers/log-writer.mjs) next to the built
 * server, where its `libsql` import resolves to the copy Nitro traced (the driver under
 * @libsql/client). A worker needs a file of its own; without one (the dev server, unit tests)
 * the log writes on the main thread.
 */
export default defineNuxtModule({
  meta: { name: 'log-writer-worker' },
  setup(_, nuxt) {
    if (nuxt.options.dev) return
    nuxt.hook('nitro:init', (nitro) => {
      nitro.hooks.hook('compiled', async () => {
        await copyFile(join(nuxt.options.rootDir, 'server/workers', LOG_WRITER_FILE), join(nitro.options.output.serverDir, LOG_WRITER_FILE))
      })
    })
  },
})

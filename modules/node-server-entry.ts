import { defineNuxtModule } from 'nuxt/kit'
import { resolve } from 'pathe'

/** Presets whose entry is Nitro's node-server one, which server/node-server.ts replaces. */
const NODE_SERVER_PRESETS = new Set(['node-server', 'node'])

/**
 * Builds the server with cc-bridge's own entry (server/node-server.ts), which makes the
 * node:http server with the client limits from the environment. Only for a production build on
 * the node-server preset: the dev server and other presets keep their own entries.
 */
export default defineNuxtModule({
  meta: { name: 'node-server-entry' },
  setup(_, nuxt) {
    if (nuxt.options.dev) return
    nuxt.hook('nitro:config', (config) => {
      const preset = config.preset ?? process.env.NITRO_PRESET ?? 'node-server'
      if (NODE_SERVER_PRESETS.has(String(preset).replace(/_/g, '-'))) config.entry = resolve(nuxt.options.rootDir, 'server/node-server')
    })
  },
})

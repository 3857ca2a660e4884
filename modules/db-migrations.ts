import { defineNuxtModule } from 'nuxt/kit'
import { resolve } from 'pathe'
import type { NitroConfig } from 'nitropack/types'

// Nuxt 4.5 types the `nitro:config` hook with a fallback shape that has no `serverAssets`;
// this tells it the real Nitro 2 config type.
declare module '@nuxt/schema' {
  interface NitroTypes { config: NitroConfig }
}

/**
 * Bundles the drizzle-kit migrations (top-level `drizzle/`) into the server build as the
 * `migrations` server asset, because the built server has no migrations folder on disk.
 * The database plugin reads them back through `useStorage('assets:migrations')`.
 */
export default defineNuxtModule({
  meta: { name: 'db-migrations' },
  setup(_, nuxt) {
    nuxt.hook('nitro:config', (config) => {
      config.serverAssets ||= []
      config.serverAssets.push({
        baseName: 'migrations',
        // Absolute, because Nitro resolves a relative `dir` against server/, not the project root.
        dir: resolve(nuxt.options.rootDir, 'drizzle'),
        // Only what the migrator reads: drizzle-kit's snapshots grow with every migration.
        pattern: '{*.sql,meta/_journal.json}',
      })
    })
  },
})

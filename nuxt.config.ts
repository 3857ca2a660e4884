import pkg from './package.json' with { type: 'json' }

// Offline-safe settings: fonts off (no CDN at build), icons from the local lucide set with the
// Iconify API fallback off, so neither the build nor the running server reaches the internet.
export default defineNuxtConfig({
  modules: ['@nuxt/ui', '@pinia/nuxt', '@nuxt/eslint'],
  ssr: false,
  devtools: { enabled: false },
  css: ['~/assets/css/main.css'],
  ui: { fonts: false },
  runtimeConfig: { public: { version: pkg.version } },
  srcDir: '.',
  compatibilityDate: '2026-11-01',
  typescript: { strict: true },
  telemetry: false,
  eslint: { config: { stylistic: true } },
  icon: {
    provider: 'server',
    serverBundle: { collections: ['lucide'] },
    clientBundle: { scan: true, sizeLimitKb: 256 },
    fallbackToApi: false,
  },
})

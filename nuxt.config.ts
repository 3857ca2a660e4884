import pkg from './package.json' with { type: 'json' }

// Offline-safe settings: fonts off (no CDN at build), icons from the local lucide set with the
// Iconify API fallback off, so neither the build nor the running server reaches the internet.
export default defineNuxtConfig({
  modules: ['@nuxt/ui', '@pinia/nuxt', '@nuxt/eslint', '@nuxtjs/i18n'],
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
  // The locale files sit at the root (srcDir), one file per feature and locale.
  i18n: {
    restructureDir: '.',
    langDir: 'locales',
    strategy: 'no_prefix',
    defaultLocale: 'en',
    detectBrowserLanguage: { useCookie: true, cookieKey: 'ccb-locale', fallbackLocale: 'en' },
    locales: [
      { code: 'en', language: 'en-US', name: 'English', files: ['en/common.json', 'en/channels.json', 'en/logs.json', 'en/settings.json'] },
      { code: 'zh', language: 'zh-CN', name: '简体中文', files: ['zh/common.json', 'zh/channels.json', 'zh/logs.json', 'zh/settings.json'] },
    ],
  },
  icon: {
    provider: 'server',
    serverBundle: { collections: ['lucide'] },
    clientBundle: { scan: true, sizeLimitKb: 256 },
    fallbackToApi: false,
  },
})

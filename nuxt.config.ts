import pkg from './package.json' with { type: 'json' }

// Offline-safe settings: fonts off (no CDN at build), icons from the local lucide set with the
// Iconify API fallback off, so neither the build nor the running server reaches the internet.
export default defineNuxtConfig({
  modules: ['@nuxt/ui', '@pinia/nuxt', '@nuxtjs/i18n', '@nuxt/eslint'],
  ssr: false,
  devtools: { enabled: false },
  css: ['~/assets/css/main.css'],
  ui: { fonts: false },
  runtimeConfig: { public: { version: pkg.version } },
  srcDir: '.',
  compatibilityDate: '2026-11-01',
  // The server runs on Node 22 (package.json's engines) and is compiled for it, not for Nitro's
  // default ES2019: that lowers every class field to a shared helper call (a megamorphic store per
  // field per object) and `?.` / `??` to temporaries, on the request path.
  nitro: { esbuild: { options: { target: 'node22' } } },
  typescript: { strict: true },
  telemetry: false,
  eslint: { config: { stylistic: true } },
  // Messages live in locales/<code>/<part>.json at the root (srcDir is the root, no i18n/ folder).
  // no_prefix: the admin UI's URLs stay the same in every language; the choice is kept in a cookie.
  i18n: {
    restructureDir: '.',
    langDir: 'locales',
    strategy: 'no_prefix',
    defaultLocale: 'en',
    locales: [
      { code: 'en', language: 'en-US', name: 'English', files: ['en/common.json', 'en/channels.json', 'en/logs.json', 'en/settings.json'] },
      { code: 'zh', language: 'zh-CN', name: '简体中文', files: ['zh/common.json', 'zh/channels.json', 'zh/logs.json', 'zh/settings.json'] },
    ],
    detectBrowserLanguage: { useCookie: true, cookieKey: 'ccb-lang', redirectOn: 'root', alwaysRedirect: false, fallbackLocale: 'en' },
  },
  icon: {
    provider: 'server',
    serverBundle: { collections: ['lucide'] },
    clientBundle: { scan: true, sizeLimitKb: 256 },
    fallbackToApi: false,
  },
})

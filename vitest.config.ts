import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const shared = fileURLToPath(new URL('./shared', import.meta.url))
const server = fileURLToPath(new URL('./server', import.meta.url))

export default defineConfig({
  resolve: { alias: { '#shared': shared, '#server': server } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        // Integration tests spawn the built server (.output) against fake upstreams on loopback.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // Browser tests: playwright-core drives Debian's chromium against the built server.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // A page's first load (hydration, its API calls) takes more than the default second on
          // a slow or busy machine; what the polls wait for must still happen, only not as fast.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
})

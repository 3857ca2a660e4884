import { defineConfig } from 'drizzle-kit'
import { readEnv } from './server/utils/env'

// `out` is the top-level drizzle/ folder: modules/db-migrations.ts bundles it into the server build
// as the `migrations` server asset, and server/utils/db/migrate.ts applies it at start-up.
// The credentials (the app's own DATABASE_URL default) only matter to `drizzle-kit migrate|studio`.
const env = readEnv()

export default defineConfig({
  dialect: 'turso',
  schema: './server/database/schema.ts',
  out: './drizzle',
  dbCredentials: { url: env.databaseUrl, authToken: env.databaseAuthToken },
})

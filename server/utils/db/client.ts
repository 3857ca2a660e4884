import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql'
import * as schema from '#server/database/schema'

/** The app's drizzle database over libSQL; `$client` is the raw client (migrations, closing). */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client }

/** How long a write waits for another connection's lock before failing with SQLITE_BUSY, in ms. */
export const BUSY_TIMEOUT_MS = 5000

/** The filesystem path of a local `file:` URL, or undefined for remote and in-memory databases. */
export function localPath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined
  const path = decodeURIComponent(url.slice('file:'.length).replace(/[?#].*$/, '').replace(/^\/\/(localhost)?(?=\/)/, ''))
  return path && path !== ':memory:' ? path : undefined
}

/**
 * Opens a database: a local `file:` path (its directory is created), `:memory:`, or a remote
 * `libsql://` / `https://` URL with `authToken`.
 */
export async function createDb(url: string, authToken?: string): Promise<Db> {
  const path = localPath(url)
  if (path) mkdirSync(dirname(path), { recursive: true })
  // libSQL pools connections, so the busy timeout goes in the config (applied to each connection)
  // rather than a per-connection PRAGMA.
  const client = createClient({ url, authToken, timeout: path ? BUSY_TIMEOUT_MS : undefined })
  // WAL lets the admin UI read logs while the proxy writes them; the mode is stored in the file,
  // so one PRAGMA covers every pooled connection.
  if (path) await client.execute('PRAGMA journal_mode = WAL')
  return drizzle({ client, schema })
}

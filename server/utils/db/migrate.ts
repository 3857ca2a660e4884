import { createHash } from 'node:crypto'
import type { Client, InStatement } from '@libsql/client'

/**
 * Reads one file of the migrations folder by its `/`-separated relative path (`meta/_journal.json`,
 * `0000_init.sql`). Nitro's asset storage may hand the journal back already parsed.
 */
export type MigrationReader = (path: string) => Promise<unknown>

interface JournalEntry { tag: string, when: number }

// Same table, columns and DDL as drizzle-orm's libSQL migrator, so `drizzle-kit migrate` and this
// migrator each see what the other applied.
const TABLE = '"__drizzle_migrations"'

/**
 * Applies the pending migrations of a drizzle-kit folder, read through `read` because the built
 * server has no migrations folder on disk, only Nitro server assets. Like drizzle, it applies
 * every journal entry newer than the last applied `created_at`, records the SHA-256 of the file
 * text, and runs everything in one transaction. Returns the tags it applied.
 */
export async function applyMigrations(client: Client, read: MigrationReader): Promise<string[]> {
  await client.execute(`CREATE TABLE IF NOT EXISTS ${TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`)
  const last = await client.execute(`SELECT created_at FROM ${TABLE} ORDER BY created_at DESC LIMIT 1`)
  const lastAt = Number(last.rows[0]?.created_at ?? -Infinity)
  const raw = await read('meta/_journal.json')
  if (raw == null) throw new Error('Migrations journal meta/_journal.json not found')
  const journal = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { entries: JournalEntry[] }
  const pending = journal.entries.filter(entry => entry.when > lastAt)
  const statements: InStatement[] = []
  for (const { tag, when } of pending) {
    const text = await read(`${tag}.sql`)
    if (typeof text !== 'string') throw new Error(`Migration ${tag}.sql not found`)
    for (const sql of text.split('--> statement-breakpoint')) {
      if (sql.trim()) statements.push(sql)
    }
    const hash = createHash('sha256').update(text).digest('hex')
    statements.push({ sql: `INSERT INTO ${TABLE} ("hash", "created_at") VALUES (?, ?)`, args: [hash, when] })
  }
  if (statements.length) await client.migrate(statements)
  return pending.map(entry => entry.tag)
}

import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClient, type Client } from '@libsql/client'
import { drizzle } from 'drizzle-orm/libsql'
import { createStorage, prefixStorage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import { migrate } from 'drizzle-orm/libsql/migrator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyMigrations } from '#server/utils/db/migrate'
import { MIGRATIONS_DIR, fsReader, tempDir } from './helpers'

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string, when: number }[] }

async function tables(client: Client): Promise<string[]> {
  const rs = await client.execute('SELECT name FROM sqlite_master WHERE type = \'table\' ORDER BY name')
  return rs.rows.map(row => String(row.name))
}

async function appliedRows(client: Client) {
  const rs = await client.execute('SELECT hash, created_at FROM "__drizzle_migrations" ORDER BY created_at')
  return rs.rows.map(row => ({ hash: row.hash, createdAt: Number(row.created_at) }))
}

/** Writes a drizzle-kit style folder: one `<tag>.sql` per entry plus the journal. */
function writeFolder(dir: string, migrations: { tag: string, when: number, sql: string }[]): void {
  mkdirSync(join(dir, 'meta'), { recursive: true })
  for (const m of migrations) writeFileSync(join(dir, `${m.tag}.sql`), m.sql)
  const entries = migrations.map((m, idx) => ({ idx, version: '6', when: m.when, tag: m.tag, breakpoints: true }))
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }))
}

describe('applyMigrations', () => {
  let tmp: ReturnType<typeof tempDir>
  let client: Client

  beforeEach(() => {
    tmp = tempDir()
    client = createClient({ url: `file:${join(tmp.dir, 'test.db')}` })
  })

  afterEach(() => {
    client.close()
    tmp.remove()
  })

  it('applies the committed migrations to a file database once; the second run is a no-op', async () => {
    expect(await applyMigrations(client, fsReader())).toEqual(journal.entries.map(e => e.tag))
    expect(await tables(client)).toEqual(expect.arrayContaining(['__drizzle_migrations', 'channel_suspensions']))
    const rows = await appliedRows(client)
    expect(rows).toHaveLength(journal.entries.length)

    expect(await applyMigrations(client, fsReader())).toEqual([])
    expect(await appliedRows(client)).toEqual(rows)
  })

  it('records drizzle\'s hash: SHA-256 of the .sql file text, with the journal\'s `when`', async () => {
    await applyMigrations(client, fsReader())
    const expected = journal.entries.map(({ tag, when }) => ({
      hash: createHash('sha256').update(readFileSync(join(MIGRATIONS_DIR, `${tag}.sql`), 'utf8')).digest('hex'),
      createdAt: when,
    }))
    expect(await appliedRows(client)).toEqual(expected)
  })

  it('reads through Nitro\'s asset storage, which parses the journal and uses `:` keys', async () => {
    // The same mounts Nitro sets up for `useStorage('assets:migrations')` under `nuxt dev`.
    const storage = createStorage()
    storage.mount('assets:migrations', fsDriver({ base: MIGRATIONS_DIR }))
    const assets = prefixStorage(storage, 'assets:migrations')
    expect(await applyMigrations(client, path => assets.getItem(path))).toEqual(journal.entries.map(e => e.tag))
    const expected = createHash('sha256').update(readFileSync(join(MIGRATIONS_DIR, `${journal.entries[0]!.tag}.sql`), 'utf8')).digest('hex')
    expect((await appliedRows(client))[0]!.hash).toBe(expected)
  })

  it('works on :memory:', async () => {
    const memory = createClient({ url: ':memory:' })
    try {
      await applyMigrations(memory, fsReader())
      expect(await tables(memory)).toContain('channel_suspensions')
    }
    finally {
      memory.close()
    }
  })

  it('applies only entries newer than the last applied one, splitting on statement breakpoints', async () => {
    const dir = join(tmp.dir, 'migrations')
    const first = { tag: '0000_a', when: 1000, sql: 'CREATE TABLE `a` (`id` integer);\n' }
    writeFolder(dir, [first])
    expect(await applyMigrations(client, fsReader(dir))).toEqual(['0000_a'])

    const second = {
      tag: '0001_b',
      when: 2000,
      sql: 'CREATE TABLE `b` (`id` integer);\n--> statement-breakpoint\nINSERT INTO `a` VALUES (1);\n',
    }
    writeFolder(dir, [first, second])
    expect(await applyMigrations(client, fsReader(dir))).toEqual(['0001_b'])
    expect(await tables(client)).toEqual(expect.arrayContaining(['a', 'b']))
    expect((await client.execute('SELECT count(*) AS n FROM a')).rows[0]!.n).toBe(1)
    expect(await appliedRows(client)).toHaveLength(2)
  })

  it('rolls the whole batch back when a statement fails', async () => {
    const dir = join(tmp.dir, 'migrations')
    writeFolder(dir, [
      { tag: '0000_a', when: 1000, sql: 'CREATE TABLE `a` (`id` integer);\n' },
      { tag: '0001_bad', when: 2000, sql: 'INSERT INTO `missing` VALUES (1);\n' },
    ])
    await expect(applyMigrations(client, fsReader(dir))).rejects.toThrow(/missing/)
    expect(await tables(client)).toEqual(['__drizzle_migrations'])
    expect(await appliedRows(client)).toEqual([])
  })

  it('fails clearly when a migration file is missing', async () => {
    const dir = join(tmp.dir, 'migrations')
    writeFolder(dir, [{ tag: '0000_a', when: 1000, sql: 'CREATE TABLE `a` (`id` integer);\n' }])
    const read = fsReader(dir)
    await expect(applyMigrations(client, path => path.endsWith('.sql') ? Promise.resolve(null) : read(path)))
      .rejects.toThrow('Migration 0000_a.sql not found')
  })

  it('is interchangeable with drizzle\'s own migrator in both directions', async () => {
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_DIR })
    const byDrizzle = await appliedRows(client)
    expect(await applyMigrations(client, fsReader())).toEqual([])

    const other = createClient({ url: `file:${join(tmp.dir, 'other.db')}` })
    try {
      await applyMigrations(other, fsReader())
      await migrate(drizzle({ client: other }), { migrationsFolder: MIGRATIONS_DIR })
      expect(await appliedRows(other)).toEqual(byDrizzle)
    }
    finally {
      other.close()
    }
  })
})

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDb } from '#server/utils/db/client'
import { tempDir } from './helpers'

describe('createDb', () => {
  let tmp: ReturnType<typeof tempDir>

  beforeEach(() => {
    tmp = tempDir()
  })

  afterEach(() => tmp.remove())

  it.each([
    ['file:<path>', (path: string) => `file:${path}`],
    ['file:///<path>', (path: string) => pathToFileURL(path).href],
  ])('creates the parent directory of a %s URL and turns on WAL', async (_, toUrl) => {
    const path = join(tmp.dir, 'nested', 'dir', 'cc-bridge.db')
    const db = await createDb(toUrl(path))
    try {
      expect(existsSync(path)).toBe(true)
      const rs = await db.$client.execute('PRAGMA journal_mode')
      expect(rs.rows[0]!.journal_mode).toBe('wal')
    }
    finally {
      db.$client.close()
    }
  })

  it('opens :memory: without touching the filesystem', async () => {
    const db = await createDb(':memory:')
    try {
      expect((await db.$client.execute('SELECT 1 AS one')).rows[0]!.one).toBe(1)
    }
    finally {
      db.$client.close()
    }
  })
})

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { bundleLogWriter } from '../../../../../modules/log-writer-worker/bundle'
import { createDb, type Db } from '#server/utils/db/client'
import { applyMigrations } from '#server/utils/db/migrate'
import type { NewRequestLog } from '#server/utils/logs/types'
import { fsReader, tempDir } from '../db/helpers'

/** A migrated database in a temporary libSQL file, and its clean-up. */
export async function logDb(): Promise<{ db: Db, dir: string, close: () => void }> {
  const { dir, remove } = tempDir()
  const db = await createDb(`file:${join(dir, 'logs.db')}`)
  await applyMigrations(db.$client, fsReader())
  return { db, dir, close: () => {
    db.$client.close()
    remove()
  } }
}

let n = 0
/** A finished request with the required columns filled in; `over` sets the rest. */
export function row(over: Partial<NewRequestLog> = {}): NewRequestLog {
  return { id: `req_${++n}`, status: 'completed', endpoint: '/v1/messages', initialTime: Date.UTC(2026, 10, 20, 12), httpStatus: 200, ...over }
}

let bundled: string | undefined
/**
 * Where the writer thread's file is, bundled as the build bundles it (file URL of its folder, as
 * `createWorkerWriter` takes the built server's entry): under node_modules/.cache, where its
 * `libsql` import resolves. Built once per test process.
 */
export function writerFolder(): string {
  if (bundled) return bundled
  const root = join(import.meta.dirname, '../../../../..')
  const dir = join(root, 'node_modules/.cache/cc-bridge')
  mkdirSync(dir, { recursive: true })
  bundleLogWriter(root, dir)
  return (bundled = pathToFileURL(`${dir}/`).href)
}

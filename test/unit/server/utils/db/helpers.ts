import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MigrationReader } from '#server/utils/db/migrate'

/** The committed drizzle-kit output, the folder the server bundles as the `migrations` asset. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../../drizzle', import.meta.url))

/** A migration reader over a folder on disk, as the tests' stand-in for Nitro's asset storage. */
export function fsReader(dir: string = MIGRATIONS_DIR): MigrationReader {
  return path => readFile(join(dir, path), 'utf8')
}

/** A fresh temporary directory and the function that removes it. */
export function tempDir(): { dir: string, remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-bridge-db-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

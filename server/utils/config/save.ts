import { createHash, randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { copyFile, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from '#shared/schemas/config'
import { CONFIG_FILE } from './load'

/** Automatic backups kept in `backups/`; manual backups there are never counted or pruned. */
export const MAX_AUTO_BACKUPS = 10
const AUTO_BACKUP = /^config-.+\.json$/

/** The exact bytes we write: pretty-printed with two spaces, as the Go cc-bridge does, plus a newline. */
export function serializeConfig(config: Config): string {
  return `${JSON.stringify(config, null, 2)}\n`
}

/** Identifies file content, so the watcher can tell our own saves from hand edits. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/**
 * `config-YYYY-MM-DDTHH-MM-SS-mmm.json` in UTC: names then sort in time order (local time would
 * repeat an hour each autumn), and milliseconds keep quick successive saves from overwriting each other.
 */
function backupName(ms: number): string {
  const stamp = new Date(ms).toISOString().replace(/:/g, '-').replace('.', '-').replace('Z', '')
  return `config-${stamp}.json`
}

async function backupPrevious(file: string, backupDir: string): Promise<void> {
  await mkdir(backupDir, { recursive: true })
  for (let ms = Date.now(); ; ms++) {
    try {
      await copyFile(file, join(backupDir, backupName(ms)), constants.COPYFILE_EXCL)
      break
    }
    catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  const autos = (await readdir(backupDir)).filter(name => AUTO_BACKUP.test(name)).sort()
  await Promise.all(autos.slice(0, -MAX_AUTO_BACKUPS).map(name => unlink(join(backupDir, name))))
}

async function fileMode(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mode & 0o777
  }
  catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/**
 * Writes config.json so that a crash leaves either the old or the new file, never half of one:
 * temp file in the same directory, fsync, rename over the original, fsync the directory.
 * The previous file is first copied to `backups/` (newest MAX_AUTO_BACKUPS automatic ones kept).
 * A new file gets mode 0600 because it holds upstream keys; an existing file keeps its mode.
 */
export async function writeConfigFile(dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const file = join(dir, CONFIG_FILE)
  const mode = await fileMode(file)
  if (mode !== undefined) await backupPrevious(file, join(dir, 'backups'))
  const temp = join(dir, `.${CONFIG_FILE}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(temp, 'wx', mode ?? 0o600)
    try {
      await handle.writeFile(text)
      await handle.sync()
    }
    finally {
      await handle.close()
    }
    await rename(temp, file)
  }
  catch (err) {
    await unlink(temp).catch(() => {})
    throw err
  }
  const dirHandle = await open(dir, 'r')
  try {
    await dirHandle.sync()
  }
  finally {
    await dirHandle.close()
  }
}

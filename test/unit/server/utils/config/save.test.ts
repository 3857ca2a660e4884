import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_AUTO_BACKUPS, writeConfigFile } from '#server/utils/config/save'
import { tempDir } from './fixtures'

describe('writeConfigFile', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const dir = await tempDir()
    await writeConfigFile(dir, '{"upstream":[]}\n')
    await writeConfigFile(dir, '{"upstream":[],"loadBalance":"random"}\n')
    expect(await readFile(join(dir, 'config.json'), 'utf8')).toBe('{"upstream":[],"loadBalance":"random"}\n')
    expect((await readdir(dir)).sort()).toEqual(['backups', 'config.json'])
  })

  it('creates a new file readable by its owner only, since it holds upstream keys', async () => {
    const dir = await tempDir()
    await writeConfigFile(dir, '{}\n')
    expect((await stat(join(dir, 'config.json'))).mode & 0o777).toBe(0o600)
  })

  it('backs up the previous content before each save', async () => {
    const dir = await tempDir()
    await writeConfigFile(dir, 'first\n')
    expect(await readdir(dir)).not.toContain('backups')
    await writeConfigFile(dir, 'second\n')
    const [backup] = await readdir(join(dir, 'backups'))
    expect(backup).toMatch(/^config-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}\.json$/)
    expect(await readFile(join(dir, 'backups', backup!), 'utf8')).toBe('first\n')
  })

  it('keeps the newest 10 automatic backups and never prunes manual ones', async () => {
    const dir = await tempDir()
    await writeConfigFile(dir, 'v0\n')
    const manual = ['manual_backup_2020-01-01T00-00-00.json', 'manual_backup_2020-01-02T00-00-00.json']
    await writeConfigFile(dir, 'v1\n')
    for (const name of manual) await writeFile(join(dir, 'backups', name), 'manual')
    for (let v = 2; v <= 14; v++) await writeConfigFile(dir, `v${v}\n`)
    const names = (await readdir(join(dir, 'backups'))).sort()
    const autos = names.filter(n => n.startsWith('config-'))
    expect(autos).toHaveLength(MAX_AUTO_BACKUPS)
    expect(names.filter(n => n.startsWith('manual_'))).toEqual(manual)
    // 14 saves over an existing file made backups of v0…v13; the newest ten are v4…v13.
    const contents = await Promise.all(autos.map(n => readFile(join(dir, 'backups', n), 'utf8')))
    expect(contents).toEqual(Array.from({ length: 10 }, (_, i) => `v${i + 4}\n`))
  })
})

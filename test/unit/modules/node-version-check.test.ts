import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SERVER_BUNDLE, minimumNodeVersion, versionCheckEntry } from '../../../modules/node-version-check'

/** Runs a generated entry on this Node, next to a stand-in bundle that prints one word. */
function runEntry(range: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-entry-'))
  writeFileSync(join(dir, 'index.mjs'), versionCheckEntry(range))
  writeFileSync(join(dir, SERVER_BUNDLE), 'console.log("started")\n')
  return spawnSync(process.execPath, [join(dir, 'index.mjs')], { encoding: 'utf8' })
}

describe('minimumNodeVersion', () => {
  it('reads a lower bound with one to three parts', () => {
    expect(minimumNodeVersion('>=22.19')).toEqual([22, 19, 0])
    expect(minimumNodeVersion('>= 22')).toEqual([22, 0, 0])
    expect(minimumNodeVersion('>=v22.19.1')).toEqual([22, 19, 1])
  })
  it('refuses ranges it cannot check', () => {
    expect(() => minimumNodeVersion('^22.19')).toThrow(/lower bound/)
    expect(() => minimumNodeVersion('>=22 <24')).toThrow(/lower bound/)
  })
})

describe('versionCheckEntry', () => {
  const [major, minor, patch] = process.versions.node.split('.').map(Number) as [number, number, number]
  it('prints one line naming both versions and exits with 1 on an older Node', () => {
    const r = runEntry(`>=${major}.${minor}.${patch + 1}`)
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`cc-bridge needs Node.js >=${major}.${minor}.${patch + 1} (found v${process.versions.node})\n`)
    expect(runEntry(`>=${major + 1}`).status).toBe(1)
  })
  it('imports the bundle on the minimum version and on newer ones', () => {
    for (const range of [`>=${major}.${minor}.${patch}`, `>=${major}.${minor}`, `>=${major - 1}.99`]) {
      const r = runEntry(range)
      expect(r.status, range).toBe(0)
      expect(r.stdout).toBe('started\n')
    }
  })
})

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startServer } from '../support/server'

const ENTRY = resolve(import.meta.dirname, '../../.output/server/index.mjs')
const REQUIRED = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { engines: { node: string } }).engines.node
const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin']

/** The first `node` on the system PATH (not node_modules/.bin) when it is older than Node 22. */
function systemOldNode(): { bin: string, version: string } | undefined {
  for (const dir of SYSTEM_PATH) {
    const bin = join(dir, 'node')
    if (!existsSync(bin)) continue
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()
    return Number(/^v(\d+)\./.exec(version)?.[1]) < 22 ? { bin, version } : undefined
  }
  return undefined
}

const oldNode = systemOldNode()

describe('Node version check of the built server', () => {
  // Skipped when the system PATH has no node, or only one new enough to run the server.
  it.skipIf(!oldNode)(`exits with 1 and one line naming ${REQUIRED} on the system's older Node`, () => {
    const configDir = mkdtempSync(join(tmpdir(), 'ccb-node-'))
    const r = spawnSync(oldNode!.bin, [ENTRY], {
      cwd: configDir,
      env: { PATH: SYSTEM_PATH.join(':'), CONFIG_DIR: configDir, PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    })
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(`cc-bridge needs Node.js ${REQUIRED} (found ${oldNode!.version})\n`)
  })

  it('starts the server on the project\'s Node', async () => {
    const s = await startServer()
    try {
      expect((await fetch(`${s.url}/health`)).status).toBe(200)
    }
    finally {
      await s.stop()
    }
  })
})

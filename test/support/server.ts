import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ENTRY = resolve(import.meta.dirname, '../../.output/server/index.mjs')

export const ACCESS_KEY = 'test-access-key-0123456789abcdef'

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => res(port))
    })
    s.on('error', rej)
  })
}

export interface RunningServer {
  url: string
  configDir: string
  proc: ChildProcess
  output: () => string
  stop: () => Promise<void>
  /** Resolves with the exit code when the process exits by itself. */
  exited: Promise<number | null>
}

export interface StartOptions {
  config?: unknown
  env?: Record<string, string | undefined>
  configDir?: string
  /** Don't wait for /health (for start-up failure tests). */
  noWait?: boolean
}

/** Starts the built server (`.output`) on a free loopback port with its own config dir. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const configDir = opts.configDir ?? mkdtempSync(join(tmpdir(), 'ccb-test-'))
  mkdirSync(configDir, { recursive: true })
  if (opts.config !== undefined) writeFileSync(join(configDir, 'config.json'), typeof opts.config === 'string' ? opts.config : JSON.stringify(opts.config, null, 2))
  const port = await freePort()
  const env = Object.fromEntries(Object.entries({
    PATH: process.env.PATH, HOME: process.env.HOME,
    PORT: String(port), HOST: '127.0.0.1', CONFIG_DIR: configDir,
    PROXY_ACCESS_KEY: ACCESS_KEY, ENABLE_REQUEST_LOGS: 'false', ENABLE_RESPONSE_LOGS: 'false',
    ...opts.env,
  }).filter(([, v]) => v !== undefined))
  const proc = spawn(process.execPath, [ENTRY], { env, cwd: configDir, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const collect = (d: Buffer) => {
    out += d
  }
  proc.stdout!.on('data', collect)
  proc.stderr!.on('data', collect)
  const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)))
  const url = `http://127.0.0.1:${port}`
  const server: RunningServer = {
    url, configDir, proc, exited, output: () => out,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM')
        await exited
      }
    },
  }
  if (opts.noWait) return server
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited (${proc.exitCode}):\n${out}`)
    try {
      const r = await fetch(`${url}/health`)
      if (r.ok) return server
    }
    catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 50))
  }
  await server.stop()
  throw new Error(`server did not become healthy:\n${out}`)
}

/** A minimal config with one Claude channel per upstream URL, in priority order. */
export function claudeConfig(...baseUrls: string[]) {
  return {
    upstream: baseUrls.map((baseUrl, i) => ({
      id: `chan000${i}`, name: `claude-${i}`, serviceType: 'claude', baseUrl,
      apiKeys: [`sk-ant-upstream-key-${i}-aaaaaaaaaaaa`], status: 'active', priority: i + 1,
      modelMapping: undefined as Record<string, string> | undefined,
    })),
    loadBalance: 'failover',
  }
}

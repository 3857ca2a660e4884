// Starting and stopping the servers the bench measures. Every child is tracked so that a
// finished run, an error or Ctrl-C leaves no process or temp dir behind.
import { fork, spawn } from 'node:child_process'
import { createServer } from 'node:net'

const children = new Set()

function track(child) {
  children.add(child)
  child.on('exit', () => children.delete(child))
  return child
}

/** Kills every tracked child at once; for interrupts and exits, where waiting is not an option. */
export function killAll() {
  for (const child of children) child.kill('SIGKILL')
}

// Last resort on any exit path: 'exit' handlers must be synchronous, so no graceful stop here.
process.on('exit', killAll)

/** Stops every tracked child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopAll(graceMs = 3000) {
  await Promise.all([...children].map(child => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })))
}

/** Forks a bench helper (fake upstream, baseline) and resolves with the port it reports. */
export function forkServer(nodeBin, script, args = []) {
  const child = track(fork(script, args, { execPath: nodeBin, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 10 s`)), 10_000)
    child.once('message', (msg) => {
      clearTimeout(timer)
      resolve({ child, port: msg.port })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with code ${code} before listening`))
    })
  })
}

/** A port that was free a moment ago on 127.0.0.1 (for servers that cannot report their own). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Spawns the built cc-bridge server and waits for `GET /health` to answer 200.
 * Its output is kept (last 64 KiB) and attached to the error if it fails to come up.
 */
export async function startCcBridge({ nodeBin, serverPath, cwd, env, port, timeoutMs = 60_000 }) {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") goes to the servers' node only:
  // NODE_OPTIONS refuses profiler flags and would reach the load generator too.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = track(spawn(nodeBin, [...nodeArgs, serverPath], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }))
  let output = ''
  const keep = (chunk) => {
    output = (output + chunk).slice(-65_536)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const tail = () => output.trim().split('\n').slice(-30).join('\n')

  const url = `http://127.0.0.1:${port}`
  const started = Date.now()
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`cc-bridge exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${tail()}`)
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.status === 200) return { child, url, startMs: Date.now() - started, output: tail }
    }
    catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`cc-bridge was not healthy within ${timeoutMs / 1000} s:\n${tail()}`)
}

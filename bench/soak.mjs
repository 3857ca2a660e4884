// npm run soak: holds many concurrent streams through the built cc-bridge, cuts some of them off
// mid-stream, and prints the server's resident memory (VmRSS) before, at the peak and 30 s after
// (with the V8 heap in use, from GET /api/health/details), to show that streams and client aborts
// leave nothing behind. It does so for `--rounds` rounds: memory a finished round left behind
// shows as a second peak above the first. The slow streaming upstream is
// this same file run with --upstream (forked through processes.mjs like the bench's helpers).
// Numbers only: nothing here fails on a threshold.
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Agent, request } from 'undici'
import { isMain, reportListening } from './child.mjs'
import { forkServer, freePort, killAll, startCcBridge, stopAll } from './processes.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const ACCESS_KEY = 'soak-access-key-0123456789abcdef'

const sse = data => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`
const sleep = ms => new Promise(r => setTimeout(r, ms))

/** The soak spreads its streams over this many upstream ports (one channel each, round-robin). */
const UPSTREAM_PORTS = 5

/**
 * The upstream: every POST /v1/messages streams one text delta every `gapMs` for `seconds`,
 * then ends, on `UPSTREAM_PORTS` ports. It counts the streams that ended early because the
 * proxy closed them, and answers 'stats' and 'ports' over IPC.
 */
async function serveUpstream({ seconds, gapMs }) {
  let cutOff = 0
  let completed = 0
  let open = 0
  let peakOpen = 0
  const handle = (req, res) => {
    open++
    peakOpen = Math.max(peakOpen, open)
    res.on('close', () => open--)
    req.resume()
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(sse({ type: 'message_start', message: { id: 'msg_soak', type: 'message', role: 'assistant', model: 'claude-soak', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }))
      res.write(sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }))
      const until = Date.now() + seconds * 1000
      while (Date.now() < until && !res.destroyed) {
        res.write(sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'soak '.repeat(8) } }))
        await sleep(gapMs)
      }
      if (res.destroyed) {
        cutOff++
        return
      }
      res.write(sse({ type: 'content_block_stop', index: 0 }))
      res.write(sse({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 10 } }))
      res.end(sse({ type: 'message_stop' }))
      completed++
    })
  }
  const servers = Array.from({ length: UPSTREAM_PORTS }, () => createServer(handle))
  await Promise.all(servers.map(server => new Promise(r => server.listen(0, '127.0.0.1', r))))
  process.on('message', (msg) => {
    if (msg === 'stats') process.send({ stats: { cutOff, completed, peakOpen } })
    if (msg === 'ports') process.send({ ports: servers.map(server => server.address().port) })
  })
  reportListening(servers[0])
}

/** Resident memory of a process, in MB, from /proc (Linux). */
function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(l => l.startsWith('VmRSS:'))
  return Number(line.split(/\s+/)[1]) / 1024
}

/** The server's heap in use, MB, from GET /api/health/details. */
async function heapMb(url) {
  const res = await fetch(`${url}/api/health/details`, { headers: { 'x-api-key': ACCESS_KEY } })
  return (await res.json()).memory.heapUsedMb
}

/** Asks the upstream child for `what` ('stats' or 'ports') over IPC. */
function askUpstream(child, what) {
  return new Promise((resolve) => {
    child.once('message', msg => resolve(msg[what]))
    child.send(what)
  })
}

/** One streaming request; aborted after `abortAfterMs` when set. Resolves with how it ended. */
async function oneStream(url, dispatcher, body, abortAfterMs) {
  const controller = new AbortController()
  try {
    const res = await request(`${url}/v1/messages`, {
      method: 'POST', dispatcher, body, signal: controller.signal,
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    })
    if (res.statusCode !== 200) {
      await res.body.dump()
      return `status ${res.statusCode}`
    }
    if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs)
    let text = ''
    for await (const chunk of res.body) text = (text + chunk).slice(-200)
    return text.includes('message_stop') ? 'completed' : 'truncated'
  }
  catch (err) {
    return controller.signal.aborted ? 'aborted' : `error ${err.code ?? err.message}`
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      streams: { type: 'string', default: '1000' },
      aborts: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '20' },
      settle: { type: 'string', default: '30' },
      rounds: { type: 'string', default: '2' },
      server: { type: 'string', default: join(root, '.output/server/index.mjs') },
    },
  })
  const streams = Number(values.streams)
  const aborts = Math.min(Number(values.aborts), streams)
  const seconds = Number(values.seconds)
  if (!existsSync(values.server)) throw new Error(`${values.server} is missing: run npx nuxt build first`)
  const localNode = join(root, 'node_modules/.bin/node')
  const nodeBin = existsSync(localNode) ? localNode : process.execPath

  const { child: upstream } = await forkServer(nodeBin, fileURLToPath(import.meta.url), ['--upstream', String(seconds), '200'])
  const scratch = await mkdtemp(join(tmpdir(), 'ccb-soak-'))
  try {
    const configDir = join(scratch, 'config')
    await mkdir(configDir, { recursive: true })
    const ports = await askUpstream(upstream, 'ports')
    await writeFile(join(configDir, 'config.json'), JSON.stringify({
      upstream: ports.map((p, i) => ({ id: `soak000${i}`, name: `soak-${i}`, serviceType: 'claude', baseUrl: `http://127.0.0.1:${p}`, apiKeys: ['sk-ant-soak-upstream-key-0000'], status: 'active', priority: 1 })),
      loadBalance: 'round-robin',
    }))
    const port = await freePort()
    const env = { ...process.env }
    for (const n of ['DATABASE_URL', 'DATABASE_AUTH_TOKEN', 'NITRO_PORT', 'NITRO_HOST', 'NODE_ENV']) delete env[n]
    Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', ENV: 'production', PROXY_ACCESS_KEY: ACCESS_KEY, CONFIG_DIR: configDir, ENABLE_REQUEST_LOGS: 'false', ENABLE_RESPONSE_LOGS: 'false' })
    const bridge = await startCcBridge({ nodeBin, serverPath: values.server, cwd: scratch, env, port })
    const pid = bridge.child.pid
    // A Claude Code-sized request: a few tens of KB of context.
    const body = JSON.stringify({ model: 'claude-soak', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'context '.repeat(3000) }] })
    const dispatcher = new Agent({ connections: streams + 10, keepAliveTimeout: 60_000 })

    // Warm up (lazy chunks, JIT, the database) so "before" is a serving process, not a cold one.
    const warm = await Promise.all(Array.from({ length: 50 }, () => oneStream(bridge.url, dispatcher, body, 300)))
    await sleep(3000)
    const before = rssMb(pid)
    const heapBefore = await heapMb(bridge.url)
    log(`warm-up: ${tally(warm)}; RSS before: ${before.toFixed(1)} MB, heap ${heapBefore} MB`)

    const rounds = []
    for (let round = 1; round <= Number(values.rounds); round++) {
      let peak = rssMb(pid)
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(pid))
      }, 250)
      log(`round ${round}: ${streams} concurrent streams of ${seconds} s, cutting ${aborts} off mid-stream`)
      const started = Date.now()
      const ends = await Promise.all(Array.from({ length: streams }, (_, i) =>
        oneStream(bridge.url, dispatcher, body, i < aborts ? 1000 + Math.floor(Math.random() * (seconds - 2) * 1000) : undefined)))
      clearInterval(sampler)
      log(`round ${round}: all streams ended after ${((Date.now() - started) / 1000).toFixed(1)} s: ${tally(ends)}; waiting ${values.settle} s`)
      await sleep(Number(values.settle) * 1000)
      rounds.push({ ends, peak, after: rssMb(pid), heapAfter: await heapMb(bridge.url) })
    }
    await dispatcher.close()
    const stats = await askUpstream(upstream, 'stats')
    const pct = mb => `${mb >= before ? '+' : ''}${((mb - before) / before * 100).toFixed(1)}%`
    console.log([
      `streams per round: ${streams} concurrent, ${aborts} cut off by the client mid-stream`,
      `upstream: at most ${stats.peakOpen} streams open at once; ${stats.completed} completed, ${stats.cutOff} closed early by cc-bridge (client aborts, warm-up included, reaching the upstream)`,
      `RSS before: ${before.toFixed(1)} MB (V8 heap in use ${heapBefore} MB)`,
      ...rounds.map((r, i) => `round ${i + 1} (${tally(r.ends)}): RSS peak ${r.peak.toFixed(1)} MB (${pct(r.peak)}), ${values.settle} s after ${r.after.toFixed(1)} MB (${pct(r.after)}; heap in use ${r.heapAfter} MB)`),
    ].join('\n'))
  }
  finally {
    await stopAll()
    await rm(scratch, { recursive: true, force: true })
  }
}

function tally(ends) {
  const counts = {}
  for (const e of ends) counts[e] = (counts[e] ?? 0) + 1
  return Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')
}

function log(msg) {
  process.stderr.write(`${msg}\n`)
}

if (isMain(import.meta.url)) {
  if (process.argv[2] === '--upstream') {
    serveUpstream({ seconds: Number(process.argv[3]), gapMs: Number(process.argv[4]) })
  }
  else {
    process.on('SIGINT', () => {
      killAll()
      process.exit(130)
    })
    main().catch((err) => {
      console.error(err)
      killAll()
      process.exitCode = 1
    })
  }
}

// npm run bench: fake upstream, a bare node:http + undici passthrough (the baseline), the built
// cc-bridge passing Anthropic requests through to a claude channel, and a second cc-bridge
// converting the same requests for an openai channel, each driven with the same requests. Prints
// req/s and latency for each, cc-bridge against the baseline and converted against passthrough,
// then the scheduler's in-process cost for 1 and 10 channels (scheduler.mjs) and the converters'
// throughput on a long stream (converters.mjs). Numbers only: a missed target never fails the process.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { UPSTREAM_KEY_PREFIX } from './fake-upstream.mjs'
import { createLoader, summarizeRounds } from './load.mjs'
import { forkServer, freePort, killAll, startCcBridge, stopAll } from './processes.mjs'
import { formatConverters } from './converters.mjs'
import { derive, formatScheduler, formatTable, schedulerCost, verdict } from './report.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

const TARGET_NAMES = ['baseline', 'cc-bridge', 'cc-bridge-converted']

const USAGE = `usage: npm run bench -- [options]
  --channels N       channels in each cc-bridge's config (default 1); the first is active with
                     priority 1, the others active with lower priority, all on the fake upstream
  --targets LIST     comma-separated from baseline,cc-bridge,cc-bridge-converted (default all;
                     the fake upstream is always measured directly for the "added latency"
                     columns). cc-bridge-converted is a second cc-bridge process whose config
                     holds only "openai" channels, so the same POST /v1/messages requests are
                     converted to Chat Completions and back; its p50 is compared with
                     cc-bridge's (passthrough to a "claude" channel)
  --server PATH      built cc-bridge entry (default .output/server/index.mjs, built if missing)
  --node PATH        node binary for the servers (default node_modules/.bin/node)
  --requests N       sequential requests per target (default 2000, after --warmup)
  --warmup N         sequential warm-up requests per target (default 200)
  --concurrency N    in-flight requests in the concurrent runs (default 50)
  --duration S       seconds per target in the concurrent runs (default 6, after 1 s of
                     warm-up; also capped at --max-requests)
  --max-requests N   request cap per target in a concurrent run (default 300000)
  --rounds N         split every run into N rounds (at least 3, default 3) that alternate the
                     targets, in reverse order every other round; the verdicts take the median
                     over rounds of each round's ratio (req/s against the baseline, p50 against
                     passthrough), and every round's ratio is printed
  --scheduler-iterations N
                     requests per case in the scheduler cost measurement (default 200000):
                     begin → next → report(success) → chain() → keyMoves() in-process, for 1 and
                     10 channels, failover and round-robin; runs with any --targets and
                     regardless of --channels
  --converter-rounds N
                     rounds of the converter throughput measurement (default 7): a stream of
                     5,000 text deltas and a 500-fragment tool call through each direction's
                     stream converter in-process, events/s and MB/s; runs with any --targets
  --json             print the results as JSON instead of the tables`

function options() {
  const { values } = parseArgs({
    options: {
      'channels': { type: 'string', default: '1' },
      'targets': { type: 'string', default: TARGET_NAMES.join(',') },
      'server': { type: 'string' },
      'node': { type: 'string' },
      'requests': { type: 'string', default: '2000' },
      'warmup': { type: 'string', default: '200' },
      'concurrency': { type: 'string', default: '50' },
      'duration': { type: 'string', default: '6' },
      'max-requests': { type: 'string', default: '300000' },
      'rounds': { type: 'string', default: '3' },
      'scheduler-iterations': { type: 'string', default: '200000' },
      'converter-rounds': { type: 'string', default: '7' },
      'json': { type: 'boolean', default: false },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  })
  const int = (name) => {
    const n = Number(values[name])
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${values[name]}"`)
    return n
  }
  const rounds = int('rounds')
  if (rounds < 3) throw new Error(`--rounds must be at least 3 (the verdicts take a median over rounds), got ${rounds}`)
  const duration = Number(values.duration)
  if (!(duration > 0)) throw new Error(`--duration must be a positive number of seconds, got "${values.duration}"`)
  const targets = values.targets.split(',').map(t => t.trim()).filter(Boolean)
  for (const t of targets) {
    if (!TARGET_NAMES.includes(t)) throw new Error(`unknown target "${t}" (known: ${TARGET_NAMES.join(', ')})`)
  }
  const localNode = join(root, 'node_modules/.bin/node')
  return {
    help: values.help,
    json: values.json,
    channels: int('channels'),
    targets,
    server: values.server ? resolve(values.server) : undefined,
    nodeBin: values.node ?? (existsSync(localNode) ? localNode : process.execPath),
    requests: int('requests'),
    warmup: int('warmup'),
    concurrency: int('concurrency'),
    durationMs: duration * 1000,
    maxRequests: int('max-requests'),
    rounds,
    schedulerIterations: int('scheduler-iterations'),
    converterRounds: int('converter-rounds'),
  }
}

/**
 * cc-bridge's config.json: `count` channels of one service type on the fake upstream, only
 * priority differing. One type per config keeps routing unambiguous: the converted process has
 * no claude channel to prefer, so every request takes the conversion path.
 */
function benchConfig(upstreamUrl, count, serviceType = 'claude') {
  return {
    upstream: Array.from({ length: count }, (_, i) => ({
      id: `be4c${(i + 1).toString(16).padStart(4, '0')}`,
      name: `bench-${serviceType}-${i + 1}`,
      serviceType,
      baseUrl: upstreamUrl,
      apiKeys: [`${UPSTREAM_KEY_PREFIX}${serviceType}-${String(i).padStart(6, '0')}`],
      status: 'active',
      priority: i + 1,
    })),
    loadBalance: 'failover',
  }
}

/** The built server, building it first when the default path is missing. */
function ensureServer(opts) {
  if (opts.server) {
    if (!existsSync(opts.server)) throw new Error(`--server ${opts.server} does not exist`)
    return opts.server
  }
  const server = join(root, '.output/server/index.mjs')
  if (existsSync(server)) return server
  log('.output/server/index.mjs is missing: running nuxt build')
  // node_modules/.bin first on PATH so nuxt runs on the project's Node 22 even from a bare shell.
  const env = { ...process.env, PATH: join(root, 'node_modules/.bin') + delimiter + process.env.PATH }
  const build = spawnSync('npx', ['nuxt', 'build'], { cwd: root, env, stdio: ['ignore', 2, 2] })
  if (build.status !== 0 || !existsSync(server)) throw new Error('nuxt build failed')
  return server
}

/**
 * The scheduler cost, measured in its own process on the servers' Node before they start, so
 * it neither competes with the load runs nor inherits the load generator's JIT and heap state.
 */
async function runSchedulerBench(opts) {
  log('measuring the scheduler cost (bench/scheduler.mjs, a few seconds)')
  const { stdout } = await promisify(execFile)(opts.nodeBin, [join(here, 'scheduler.mjs'), '--json', '--iterations', String(opts.schedulerIterations)], { cwd: root })
  return JSON.parse(stdout)
}

/** The converters' throughput, in its own process for the same reasons as the scheduler's. */
async function runConvertersBench(opts) {
  log('measuring converter throughput (bench/converters.mjs, a few seconds)')
  const { stdout } = await promisify(execFile)(opts.nodeBin, [join(here, 'converters.mjs'), '--json', '--rounds', String(opts.converterRounds)], { cwd: root, maxBuffer: 16 * 1024 * 1024 })
  return JSON.parse(stdout)
}

/** Starts one built cc-bridge on `config` in its own scratch dir; resolves with its base URL. */
async function startBridge({ opts, serverPath, scratch, name, config, accessKey }) {
  const dir = join(scratch, name)
  const configDir = join(dir, 'config')
  await mkdir(configDir, { recursive: true })
  await writeFile(join(configDir, 'config.json'), JSON.stringify(config, null, 2))
  const port = await freePort()
  const env = { ...process.env }
  // A developer's shell or .env must not point the bench at their real database or port.
  for (const n of ['DATABASE_URL', 'DATABASE_AUTH_TOKEN', 'NITRO_PORT', 'NITRO_HOST', 'NODE_ENV']) delete env[n]
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    ENV: 'production',
    PROXY_ACCESS_KEY: accessKey,
    CONFIG_DIR: configDir,
    ENABLE_REQUEST_LOGS: 'false',
    ENABLE_RESPONSE_LOGS: 'false',
  })
  const types = [...new Set(config.upstream.map(c => c.serviceType))].join(', ')
  log(`starting ${name} (${serverPath}) with ${config.upstream.length} ${types} channel(s)`)
  // cwd is the process's own scratch dir, so a .env in the checkout is not read by the server;
  // the database lives in CONFIG_DIR, so the two processes do not share one either.
  const bridge = await startCcBridge({ nodeBin: opts.nodeBin, serverPath, cwd: dir, env, port })
  log(`${name} healthy after ${bridge.startMs} ms`)
  return bridge.url
}

function log(msg) {
  process.stderr.write(`${msg}\n`)
}

/** One request through a target, to fail loudly on a broken setup instead of timing errors. */
async function smokeTest(name, url, headers, bodies) {
  for (const [kind, body] of Object.entries(bodies)) {
    const res = await fetch(url, { method: 'POST', headers, body })
    const text = await res.text()
    // 'Hello!' is the fake's first text piece in both protocols: the content made it through.
    const ok = res.status === 200 && text.includes('Hello!') && (kind === 'stream' ? text.includes('event: message_stop') : text.includes('"type":"message"'))
    if (!ok) throw new Error(`${name} answered a ${kind} request with HTTP ${res.status}: ${text.slice(0, 300)}`)
  }
}

async function main() {
  const opts = options()
  if (opts.help) {
    console.log(USAGE)
    return
  }
  const scratch = await mkdtemp(join(tmpdir(), 'cc-bridge-bench-'))
  const cleanup = async () => {
    await stopAll()
    await rm(scratch, { recursive: true, force: true })
  }
  // On Ctrl-C nothing is worth waiting for: the servers hold no state we keep, and a graceful
  // stop would let the run loop go on against half-stopped servers.
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      log(`\n${sig}: stopping`)
      killAll()
      rmSync(scratch, { recursive: true, force: true })
      process.exit(130)
    })
  }

  try {
    const bridges = opts.targets.filter(t => t.startsWith('cc-bridge'))
    const serverPath = bridges.length ? ensureServer(opts) : undefined
    const scheduler = await runSchedulerBench(opts)
    const converters = await runConvertersBench(opts)
    const fake = await forkServer(opts.nodeBin, join(here, 'fake-upstream.mjs'))
    const upstreamUrl = `http://127.0.0.1:${fake.port}`
    const upstreamKey = `${UPSTREAM_KEY_PREFIX}key-000000`
    const accessKey = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`

    const base = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }
    const targets = [{ name: 'upstream', url: `${upstreamUrl}/v1/messages`, headers: { ...base, 'x-api-key': upstreamKey } }]

    if (opts.targets.includes('baseline')) {
      const baseline = await forkServer(opts.nodeBin, join(here, 'baseline.mjs'), [upstreamUrl, upstreamKey])
      targets.push({ name: 'baseline', url: `http://127.0.0.1:${baseline.port}/v1/messages`, headers: { ...base, 'x-api-key': upstreamKey } })
    }

    for (const name of bridges) {
      const serviceType = name === 'cc-bridge-converted' ? 'openai' : 'claude'
      const config = benchConfig(upstreamUrl, opts.channels, serviceType)
      const url = await startBridge({ opts, serverPath, scratch, name, config, accessKey })
      targets.push({ name, url: `${url}/v1/messages`, headers: { ...base, 'x-api-key': accessKey } })
    }

    const request = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }
    const bodies = {
      json: Buffer.from(JSON.stringify(request)),
      stream: Buffer.from(JSON.stringify({ ...request, stream: true })),
    }
    for (const t of targets) await smokeTest(t.name, t.url, t.headers, bodies)

    const scenarios = [
      { mode: 'sequential', stream: false, concurrency: 1, requests: opts.requests, warmup: { requests: opts.warmup } },
      { mode: 'sequential', stream: true, concurrency: 1, requests: opts.requests, warmup: { requests: opts.warmup } },
      { mode: 'concurrent', stream: false, concurrency: opts.concurrency, requests: opts.maxRequests, durationMs: opts.durationMs, warmup: { requests: opts.maxRequests, durationMs: 1000 } },
      { mode: 'concurrent', stream: true, concurrency: opts.concurrency, requests: opts.maxRequests, durationMs: opts.durationMs, warmup: { requests: opts.maxRequests, durationMs: 1000 } },
    ]
    const results = []
    // Each run is split into rounds that alternate the targets (reversed every other round, so
    // no target always follows the same one), so a noisy moment on a shared host lands on all of
    // them instead of on one column of the comparison; the verdicts compare targets round by round.
    for (const s of scenarios) {
      const body = s.stream ? bodies.stream : bodies.json
      const loaders = targets.map(t => createLoader({ url: t.url, headers: t.headers, concurrency: s.concurrency }))
      try {
        for (const loader of loaders) await loader.run({ body, ...s.warmup })
        const runs = targets.map(() => [])
        for (let round = 0; round < opts.rounds; round++) {
          const order = [...loaders.keys()]
          if (round % 2) order.reverse()
          for (const i of order) {
            runs[i].push(await loaders[i].run({ body, requests: Math.ceil(s.requests / opts.rounds), durationMs: (s.durationMs ?? Infinity) / opts.rounds }))
          }
        }
        for (const [i, t] of targets.entries()) {
          const r = summarizeRounds(runs[i])
          results.push({ target: t.name, mode: s.mode, stream: s.stream, concurrency: s.concurrency, ...r })
          log(`  ${s.mode.padEnd(10)} ${s.stream ? 'stream' : 'json  '} ${t.name.padEnd(19)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${r.errors ? `  errors ${r.errors} (${r.firstError})` : ''}`)
        }
      }
      finally {
        await Promise.all(loaders.map(l => l.close()))
      }
    }

    const rows = derive(results)
    const checks = verdict(rows)
    const schedCost = schedulerCost(scheduler, rows, availableParallelism())
    const meta = {
      date: new Date().toISOString().slice(0, 10),
      node: process.versions.node,
      serverNode: spawnSync(opts.nodeBin, ['-p', 'process.versions.node']).stdout?.toString().trim(),
      cpus: availableParallelism(),
      channels: opts.channels,
      settings: { requests: opts.requests, warmup: opts.warmup, concurrency: opts.concurrency, durationMs: opts.durationMs, rounds: opts.rounds, schedulerIterations: opts.schedulerIterations, converterRounds: opts.converterRounds },
    }
    if (opts.json) console.log(JSON.stringify({ ...meta, results: rows, targets: checks, scheduler: schedCost, converters }, null, 2))
    else console.log(`\n${formatTable(rows, checks, meta)}\n\n${formatScheduler(schedCost)}\n\n${formatConverters(converters)}`)
  }
  finally {
    await cleanup()
  }
}

main().catch((err) => {
  log(`bench failed: ${err.message}`)
  process.exitCode = 1
})

// npm run bench: fake upstream, a bare node:http + undici passthrough (the baseline), the built
// cc-bridge passing Anthropic requests through to a claude channel and Responses requests to a
// responses channel, a second cc-bridge converting the same requests for openai channels, and a
// third like the first with its request log off, each driven with the same requests. Prints req/s
// and latency for each, cc-bridge against the baseline, converted against passthrough and the log
// on against off, the rows the log wrote, then the scheduler's in-process cost for 1 and 10
// channels (scheduler.mjs) and the converters' throughput on a long stream (converters.mjs).
// Numbers only: a missed target never fails the process.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { AGENT_HEADERS, claudeCodeRequest, codexRequest } from './agent-requests.mjs'
import { OPENAI_KEY_PREFIX, UPSTREAM_KEY_PREFIX } from './fake-upstream.mjs'
import { createLoader, summarizeRounds } from './load.mjs'
import { forkServer, freePort, killAll, startCcBridge, stopAll } from './processes.mjs'
import { threadCpu } from './thread-cpu.mjs'
import { formatConverters } from './converters.mjs'
import { APIS, derive, formatRequestLog, formatScheduler, formatTable, schedulerCost, verdict } from './report.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

const TARGET_NAMES = ['baseline', 'cc-bridge', 'cc-bridge-converted', 'cc-bridge-log-off', 'responses', 'responses-converted']

const USAGE = `usage: npm run bench -- [options]
  --channels N       channels in each cc-bridge pool (default 1); the first is active with
                     priority 1, the others active with lower priority, all on the fake upstream
  --targets LIST     comma-separated from the names below (default all; the fake upstream is
                     always measured directly for the "added latency" columns). POST /v1/messages:
                       baseline            the bare node:http + undici relay (both endpoints)
                       cc-bridge           passthrough to a "claude" channel
                       cc-bridge-converted a second cc-bridge process whose pools hold only
                                           "openai" channels: converted to Chat Completions and
                                           back; its p50 is compared with cc-bridge's
                       cc-bridge-log-off   a third process like cc-bridge, started with
                                           ENABLE_REQUEST_LOG_DB=false: cc-bridge's req/s (log
                                           on) is compared with it
                     POST /v1/responses (run only when one of these is listed):
                       responses           cc-bridge's passthrough to a "responses" channel
                       responses-converted the converted process: Responses → Chat and back
  --payload NAME     what the requests and answers look like (default minimal):
                       minimal  one short user message, a four-piece text answer
                       agent    a coding agent's first turn, shaped and sized like the real
                                clients' (bench/agent-requests.mjs: 88 KB like Claude Code on
                                /v1/messages, 40 KB like Codex on /v1/responses, with their
                                headers), answered with thinking, 25 text pieces and a tool
                                call, the prompt written to the cache
                     The verdicts' targets were set for minimal; agent shows what the same
                     costs weigh on real traffic.
  --server PATH      built cc-bridge entry (default .output/server/index.mjs, built if missing)
  --node PATH        node binary for the servers (default node_modules/.bin/node)
  --requests N       sequential requests per target (default 2000, after --warmup)
  --warmup N         sequential warm-up requests per target (default 200)
  --concurrency N    in-flight requests in the concurrent runs (default 50)
  --duration S       seconds per target in the concurrent runs (default 6, after 1 s of
                     warm-up; also capped at --max-requests)
  --max-requests N   request cap per target in a concurrent run (default 300000)
  --rounds N         split every run into N rounds (at least 3, default 6) that alternate the
                     targets, in reverse order every other round; the verdicts take the median
                     over rounds of each round's ratio (req/s against the baseline or log off,
                     p50 against passthrough), and every round's ratio is printed
  --processes N      processes started alike per measured server (each cc-bridge and the
                     baseline; default 3): round r drives process r mod N, so that no single
                     process decides a comparison (two processes of one build differed by up to
                     23% in req/s over the same rounds on a 2-core VM)
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
      'payload': { type: 'string', default: 'minimal' },
      'server': { type: 'string' },
      'node': { type: 'string' },
      'requests': { type: 'string', default: '2000' },
      'warmup': { type: 'string', default: '200' },
      'concurrency': { type: 'string', default: '50' },
      'duration': { type: 'string', default: '6' },
      'max-requests': { type: 'string', default: '300000' },
      'rounds': { type: 'string', default: '6' },
      'processes': { type: 'string', default: '3' },
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
  if (!['minimal', 'agent'].includes(values.payload)) throw new Error(`--payload must be minimal or agent, got "${values.payload}"`)
  const localNode = join(root, 'node_modules/.bin/node')
  return {
    help: values.help,
    json: values.json,
    channels: int('channels'),
    targets,
    payload: values.payload,
    server: values.server ? resolve(values.server) : undefined,
    nodeBin: values.node ?? (existsSync(localNode) ? localNode : process.execPath),
    requests: int('requests'),
    warmup: int('warmup'),
    concurrency: int('concurrency'),
    durationMs: duration * 1000,
    maxRequests: int('max-requests'),
    rounds,
    processes: int('processes'),
    schedulerIterations: int('scheduler-iterations'),
    converterRounds: int('converter-rounds'),
  }
}

/**
 * cc-bridge's config.json: `count` channels on the fake upstream in the messages pool
 * (`upstream`) and as many in the responses pool, only priority differing. One service type per
 * pool keeps routing unambiguous: the converted process has no claude or responses channel to
 * prefer, so every request takes the conversion path.
 */
function benchConfig(upstreamUrl, count, { messages, responses }) {
  const channels = (pool, serviceType) => Array.from({ length: count }, (_, i) => ({
    id: `be4c${pool}${(i + 1).toString(16).padStart(3, '0')}`,
    name: `bench-${serviceType}-${i + 1}`,
    serviceType,
    baseUrl: upstreamUrl,
    apiKeys: [`${serviceType === 'claude' ? UPSTREAM_KEY_PREFIX : OPENAI_KEY_PREFIX}${serviceType}-${String(i).padStart(6, '0')}`],
    status: 'active',
    priority: i + 1,
  }))
  return {
    upstream: channels(0, messages),
    loadBalance: 'failover',
    responsesUpstream: channels(1, responses),
    responsesLoadBalance: 'failover',
  }
}

/**
 * The cc-bridge processes and the targets each serves: the log-off process has the passthrough
 * process's config and differs only in its environment.
 */
const BRIDGES = [
  { name: 'cc-bridge', targets: ['cc-bridge', 'responses'], types: { messages: 'claude', responses: 'responses' } },
  { name: 'cc-bridge-converted', targets: ['cc-bridge-converted', 'responses-converted'], types: { messages: 'openai', responses: 'openai' } },
  { name: 'cc-bridge-log-off', targets: ['cc-bridge-log-off'], types: { messages: 'claude', responses: 'responses' }, env: { ENABLE_REQUEST_LOG_DB: 'false' } },
]

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
async function startBridge({ opts, serverPath, scratch, name, config, accessKey, extraEnv = {} }) {
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
    ...extraEnv,
  })
  const types = `${config.upstream[0].serviceType} for messages, ${config.responsesUpstream[0].serviceType} for responses`
  log(`starting ${name} (${serverPath}) with ${config.upstream.length} channel(s) per pool: ${types}${Object.keys(extraEnv).length ? `; ${new URLSearchParams(extraEnv).toString().replaceAll('&', ' ')}` : ''}`)
  // cwd is the process's own scratch dir, so a .env in the checkout is not read by the server;
  // the database lives in CONFIG_DIR, so the two processes do not share one either.
  const bridge = await startCcBridge({ nodeBin: opts.nodeBin, serverPath, cwd: dir, env, port })
  log(`${name} healthy after ${bridge.startMs} ms`)
  return { url: bridge.url, pid: bridge.child.pid }
}

function log(msg) {
  process.stderr.write(`${msg}\n`)
}

/** What a good answer carries, per endpoint: the fake's first text piece and the stream's end. */
const ANSWERS = {
  messages: { json: '"type":"message"', stream: 'event: message_stop' },
  responses: { json: '"object":"response"', stream: 'event: response.completed' },
}

/** One request of each kind through each of a target's processes, to fail loudly on a broken setup instead of timing errors. */
async function smokeTest(t, bodies) {
  for (const [kind, body] of Object.entries(bodies)) {
    for (const { url } of t.instances) {
      const res = await fetch(url, { method: 'POST', headers: t.headers, body })
      const text = await res.text()
      // 'Hello!' is the fake's first text piece in every protocol: the content made it through.
      const ok = res.status === 200 && text.includes('Hello!') && text.includes(ANSWERS[t.api][kind])
      if (!ok) throw new Error(`${t.name} (${url}) answered a ${kind} ${APIS[t.api].path} request with HTTP ${res.status}: ${text.slice(0, 300)}`)
    }
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/**
 * A cc-bridge's request-log counters once its write queue has drained: rows in the database
 * (`/api/logs` total), the rows the queue dropped or gave up and the writer thread's CPU time
 * (`/api/health/details`).
 */
async function logCounters(admin) {
  const get = async (path) => {
    const res = await fetch(admin.url + path, { headers: admin.headers })
    if (res.status !== 200) throw new Error(`GET ${path} on ${admin.url}: HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`)
    return res.json()
  }
  let previous
  for (let i = 0; i < 300; i++) {
    const [{ requestLog }, { total }] = await Promise.all([get('/api/health/details'), get('/api/logs?limit=1')])
    // An empty queue may still have a batch in flight: the count must also have stopped moving.
    if (requestLog.queued === 0 && previous?.rows === total) return { rows: total, dropped: requestLog.dropped, failed: requestLog.failed, writerCpuUs: requestLog.writerCpuUs ?? 0 }
    previous = { rows: total }
    await sleep(100)
  }
  throw new Error(`the request log on ${admin.url} did not settle within 30 s`)
}

/** A target's log counters summed over its processes (see `logCounters`). */
async function targetLogCounters(t) {
  if (!t.instances[0].admin) return undefined
  const each = await Promise.all(t.instances.map(inst => logCounters(inst.admin)))
  return each.reduce((sum, c) => ({ rows: sum.rows + c.rows, dropped: sum.dropped + c.dropped, failed: sum.failed + c.failed, writerCpuUs: sum.writerCpuUs + c.writerCpuUs }))
}

/**
 * Runs every scenario over `targets` (one endpoint's): warm-up of every process, then rounds that
 * alternate the targets (reversed every other round, so no target always follows the same one),
 * so a noisy moment on a shared host lands on all of them instead of on one column of the
 * comparison; round r drives each target's process r mod N, so a process that runs slow for its
 * whole life (it happens on this VM) weighs one round in N, not the verdict. The verdicts compare
 * targets round by round. cc-bridge targets also get their log rows counted.
 */
async function measure(api, targets, bodies, scenarios, rounds) {
  const results = []
  for (const s of scenarios) {
    const body = s.stream ? bodies.stream : bodies.json
    const loaders = targets.map(t => t.instances.map(inst => createLoader({ url: inst.url, headers: t.headers, concurrency: s.concurrency })))
    try {
      for (const loader of loaders.flat()) await loader.run({ body, ...s.warmup })
      const before = await Promise.all(targets.map(targetLogCounters))
      const runs = targets.map(() => [])
      // Each cc-bridge's CPU while its own rounds ran (the others idle): event loop and other threads.
      const cpu = targets.map(() => ({ mainUs: 0, otherUs: 0, known: true }))
      for (let round = 0; round < rounds; round++) {
        const order = [...loaders.keys()]
        if (round % 2) order.reverse()
        for (const i of order) {
          const k = round % loaders[i].length
          const pid = targets[i].instances[k].pid
          const start = pid && await threadCpu(pid)
          runs[i].push(await loaders[i][k].run({ body, requests: Math.ceil(s.requests / rounds), durationMs: (s.durationMs ?? Infinity) / rounds }))
          const end = pid && await threadCpu(pid)
          if (start && end) {
            cpu[i].mainUs += end.mainUs - start.mainUs
            cpu[i].otherUs += end.otherUs - start.otherUs
          }
          else cpu[i].known = false
        }
      }
      const after = await Promise.all(targets.map(targetLogCounters))
      for (const [i, t] of targets.entries()) {
        const r = summarizeRounds(runs[i])
        const row = { api, target: t.name, role: t.role, mode: s.mode, stream: s.stream, concurrency: s.concurrency, processes: t.instances.length, ...r }
        if (cpu[i].known && t.instances[0].pid && r.requests) row.cpu = { mainUsPerRequest: cpu[i].mainUs / r.requests, otherUsPerRequest: cpu[i].otherUs / r.requests }
        if (before[i]) {
          const rows = after[i].rows - before[i].rows
          const writerCpuUs = after[i].writerCpuUs - before[i].writerCpuUs
          row.log = { rows, rowsPerSecond: rows / r.seconds, dropped: after[i].dropped - before[i].dropped, failed: after[i].failed - before[i].failed, writerCpuUsPerRow: rows ? writerCpuUs / rows : 0 }
        }
        results.push(row)
        log(`  ${api.padEnd(9)} ${s.mode.padEnd(10)} ${s.stream ? 'stream' : 'json  '} ${t.name.padEnd(19)} ${Math.round(r.rps).toString().padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${row.log ? `  log ${row.log.rows} rows` : ''}${r.errors ? `  errors ${r.errors} (${r.firstError})` : ''}`)
      }
    }
    finally {
      await Promise.all(loaders.flat().map(l => l.close()))
    }
  }
  return results
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
    const wanted = opts.targets
    const bridges = BRIDGES.filter(b => b.targets.some(t => wanted.includes(t)))
    const serverPath = bridges.length ? ensureServer(opts) : undefined
    const scheduler = await runSchedulerBench(opts)
    const converters = await runConvertersBench(opts)
    const fake = await forkServer(opts.nodeBin, join(here, 'fake-upstream.mjs'), [opts.payload])
    const upstreamUrl = `http://127.0.0.1:${fake.port}`
    const anthropicKey = `${UPSTREAM_KEY_PREFIX}key-000000`
    const openaiKey = `${OPENAI_KEY_PREFIX}key-000000`
    const accessKey = `bench-${crypto.randomUUID()}-${crypto.randomUUID()}`
    const baseUrls = []
    for (let k = 0; wanted.includes('baseline') && k < opts.processes; k++) {
      baseUrls.push(`http://127.0.0.1:${(await forkServer(opts.nodeBin, join(here, 'baseline.mjs'), [upstreamUrl, anthropicKey, openaiKey])).port}`)
    }
    // Each cc-bridge --processes times, each process with its own scratch dir and database.
    const bridgeProcs = new Map()
    for (const b of bridges) {
      const config = benchConfig(upstreamUrl, opts.channels, b.types)
      const procs = []
      for (let k = 1; k <= opts.processes; k++) procs.push(await startBridge({ opts, serverPath, scratch, name: `${b.name}-${k}`, config, accessKey, extraEnv: b.env }))
      bridgeProcs.set(b.name, procs)
    }

    // The agent payload comes with its client's own headers (user agent, session).
    const clientHeaders = api => (opts.payload === 'agent' ? AGENT_HEADERS[api] : {})
    // Per endpoint, the client's headers: with the upstream's own key for the direct and the
    // baseline targets (the baseline swaps in its own anyway), the access key for cc-bridge.
    const auth = {
      messages: key => ({ ...clientHeaders('messages'), 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key }),
      responses: key => ({ ...clientHeaders('responses'), 'content-type': 'application/json', 'authorization': `Bearer ${key}` }),
    }
    const upstreamKey = { messages: anthropicKey, responses: openaiKey }
    const requests = opts.payload === 'agent'
      ? { messages: claudeCodeRequest(), responses: codexRequest() }
      : {
          messages: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
          // As Codex sends it: input items, and store false (Codex keeps its own history).
          responses: { model: 'gpt-4.1', input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }], max_output_tokens: 64, store: false },
        }
    const groups = Object.entries(APIS).map(([api, { path, names }]) => {
      const targets = [{ name: names.upstream, role: 'upstream', instances: [{ url: upstreamUrl + path }], headers: auth[api](upstreamKey[api]) }]
      if (baseUrls.length) targets.push({ name: names.baseline, role: 'baseline', instances: baseUrls.map(url => ({ url: url + path })), headers: auth[api](upstreamKey[api]) })
      for (const role of ['passthrough', 'converted', 'log-off']) {
        const name = names[role]
        if (!name || !wanted.includes(name)) continue
        const procs = bridgeProcs.get(BRIDGES.find(b => b.targets.includes(name)).name)
        const instances = procs.map(({ url, pid }) => ({ url: url + path, pid, admin: { url, headers: { 'x-api-key': accessKey } } }))
        targets.push({ name, role, instances, headers: auth[api](accessKey) })
      }
      const request = requests[api]
      const bodies = { json: Buffer.from(JSON.stringify(request)), stream: Buffer.from(JSON.stringify({ ...request, stream: true })) }
      return { api, targets: targets.map(t => ({ ...t, api })), bodies, bridged: targets.some(t => t.instances[0].admin) }
    })
    // /v1/messages always runs unless only Responses targets were asked for (so --targets
    // baseline still measures the relay); /v1/responses only when one of its targets was.
    const responsesAsked = groups.find(g => g.api === 'responses').bridged
    const toRun = groups.filter(g => g.api === 'responses' ? responsesAsked : g.bridged || !responsesAsked)
    for (const g of toRun) {
      for (const t of g.targets) await smokeTest(t, g.bodies)
    }

    const scenarios = [
      { mode: 'sequential', stream: false, concurrency: 1, requests: opts.requests, warmup: { requests: opts.warmup } },
      { mode: 'sequential', stream: true, concurrency: 1, requests: opts.requests, warmup: { requests: opts.warmup } },
      { mode: 'concurrent', stream: false, concurrency: opts.concurrency, requests: opts.maxRequests, durationMs: opts.durationMs, warmup: { requests: opts.maxRequests, durationMs: 1000 } },
      { mode: 'concurrent', stream: true, concurrency: opts.concurrency, requests: opts.maxRequests, durationMs: opts.durationMs, warmup: { requests: opts.maxRequests, durationMs: 1000 } },
    ]
    const results = []
    for (const g of toRun) results.push(...await measure(g.api, g.targets, g.bodies, scenarios, opts.rounds))

    const rows = derive(results)
    const checks = verdict(rows)
    const schedCost = schedulerCost(scheduler, rows, availableParallelism())
    const meta = {
      date: new Date().toISOString().slice(0, 10),
      node: process.versions.node,
      serverNode: spawnSync(opts.nodeBin, ['-p', 'process.versions.node']).stdout?.toString().trim(),
      cpus: availableParallelism(),
      channels: opts.channels,
      payload: opts.payload,
      settings: { requests: opts.requests, warmup: opts.warmup, concurrency: opts.concurrency, durationMs: opts.durationMs, rounds: opts.rounds, processes: opts.processes, schedulerIterations: opts.schedulerIterations, converterRounds: opts.converterRounds },
    }
    if (opts.json) console.log(JSON.stringify({ ...meta, results: rows, targets: checks, scheduler: schedCost, converters }, null, 2))
    else console.log([formatTable(rows, checks, meta), formatRequestLog(rows), formatScheduler(schedCost), formatConverters(converters)].filter(Boolean).map(s => `\n${s}`).join('\n'))
  }
  finally {
    await cleanup()
  }
}

main().catch((err) => {
  log(`bench failed: ${err.message}`)
  process.exitCode = 1
})

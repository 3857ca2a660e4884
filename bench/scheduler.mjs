// The scheduler's own cost per request, measured in-process. End-to-end runs on a small shared
// machine vary by 10–20%, far too much to see whether 10 channels cost 5% more than one; timing
// just the routing calls the proxy makes per request takes the network and the noise out.
// Runs alone (`node bench/scheduler.mjs [--json]`) or from run.mjs, which spawns it.
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { importSource } from './import-source.mjs'
import { isMain } from './child.mjs'

export const CHANNEL_COUNTS = [1, 10]
export const STRATEGIES = ['failover', 'round-robin']
const USERS = 50

/** createScheduler from the TypeScript source (see import-source.mjs). */
function loadScheduler() {
  return importSource([`export { createScheduler } from './server/utils/scheduler/scheduler.ts'`], 'bench-scheduler')
}

/** `count` active claude channels with two keys each, priorities 1..count, as config.json holds them. */
function channels(count) {
  return Array.from({ length: count }, (_, i) => ({
    id: `be4c${(i + 1).toString(16).padStart(4, '0')}`,
    name: `bench-${i + 1}`,
    serviceType: 'claude',
    baseUrl: 'http://127.0.0.1:1',
    apiKeys: [`sk-bench-${i}-a`, `sk-bench-${i}-b`],
    status: 'active',
    priority: i + 1,
  }))
}

/** One case: a fresh scheduler synced like the server plugin does, and what one request does to it. */
function createCase(createScheduler, count, strategy) {
  const scheduler = createScheduler()
  const list = channels(count)
  scheduler.sync('messages', list)
  const users = Array.from({ length: USERS }, (_, i) => `user-${i}`)
  const success = { kind: 'success', status: 200 }
  let i = 0
  // Summed chain lengths, returned so V8 cannot drop the work as unused.
  let sink = 0
  return {
    count,
    strategy,
    run(iterations) {
      for (let n = 0; n < iterations; n++) {
        const routing = scheduler.begin({
          pool: 'messages',
          channels: list,
          strategy,
          serviceTypes: ['claude'],
          affinityKey: users[i++ % USERS],
          model: 'claude-sonnet-4-5',
        })
        const target = routing.next()
        routing.report(target, success)
        sink += routing.chain().length + routing.keyMoves().length
      }
      return sink
    },
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/**
 * µs per request for every channel count × strategy. The rounds alternate the cases so that a
 * noisy moment lands on all of them, and the median round is reported.
 */
export async function measureScheduler({ iterations = 200_000, warmup = 20_000, rounds = 5 } = {}) {
  const { createScheduler } = await loadScheduler()
  const cases = CHANNEL_COUNTS.flatMap(count => STRATEGIES.map(strategy => createCase(createScheduler, count, strategy)))
  for (const c of cases) c.run(warmup)
  const perRound = Math.ceil(iterations / rounds)
  const samples = cases.map(() => [])
  let sink = 0
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const t0 = performance.now()
      sink += c.run(perRound)
      samples[i].push(((performance.now() - t0) * 1000) / perRound)
    }
  }
  return {
    iterations: perRound * rounds,
    warmup,
    rounds,
    users: USERS,
    sink,
    cases: cases.map((c, i) => ({ channels: c.count, strategy: c.strategy, usPerRequest: median(samples[i]), rounds: samples[i] })),
  }
}

const USAGE = `usage: node bench/scheduler.mjs [options]
  --iterations N   requests per case, after --warmup (default 200000)
  --warmup N       warm-up requests per case (default 20000)
  --rounds N       split every case into N rounds, alternating cases; the median is kept (default 5)
  --json           print the results as JSON`

async function main() {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string', default: '200000' },
      warmup: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const int = (name) => {
    const n = Number(values[name])
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${values[name]}"`)
    return n
  }
  const result = await measureScheduler({ iterations: int('iterations'), warmup: int('warmup'), rounds: int('rounds') })
  if (values.json) {
    console.log(JSON.stringify(result))
    return
  }
  for (const c of result.cases) {
    console.log(`${c.strategy.padEnd(12)} ${String(c.channels).padStart(2)} channel(s)  ${c.usPerRequest.toFixed(2)} µs/request`)
  }
}

if (isMain(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`scheduler bench failed: ${err.message}\n`)
    process.exitCode = 1
  })
}

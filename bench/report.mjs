// Turns raw load results into the comparison the issues ask for: req/s and latency per target,
// latency added over calling the fake upstream directly, cc-bridge against the baseline, the
// converted path against passthrough (for /v1/messages and /v1/responses alike), cc-bridge with
// its request log against the same server without it, the rows the log wrote, PASS/MISS
// verdicts, and the scheduler's cost for 10 channels over one against cc-bridge's time per
// request. The verdicts are printed, never enforced.
// Comparisons are made round by round (the targets alternate within a round, so a round's
// targets saw the same machine) and judged on the median round, which one noisy round cannot move.

/** The issue's targets: throughput is judged at 50 concurrent, added latency when sequential. */
export const TARGETS = { minRpsRatio: 0.7, maxOverP50Ms: 0.5 }
/**
 * The conversion issue's target: converted p50 at most this multiple of passthrough's, judged
 * sequential (JSON and stream) and for streams at 50 concurrent.
 */
export const CONVERTED_TARGET = { maxP50Ratio: 1.2 }
/** The request-log issue's target: with the log on, req/s at 50 concurrent at least this share of it off. */
export const REQUEST_LOG_TARGET = { minRpsRatio: 0.9 }
/** The issue's scheduler target: 10 channels cost at most this share of throughput over one. */
export const SCHEDULER_TARGET = { maxShare: 0.05 }

/**
 * The endpoints the bench drives, and what each role's target is called there: `upstream` (the
 * fake, called directly), `baseline` (the bare relay), `passthrough`, `converted` (a cc-bridge
 * whose channels speak the other protocol) and `log-off` (passthrough with the request log off);
 * only /v1/messages is measured with the log off.
 */
export const APIS = {
  messages: { path: '/v1/messages', names: { 'upstream': 'upstream', 'baseline': 'baseline', 'passthrough': 'cc-bridge', 'converted': 'cc-bridge-converted', 'log-off': 'cc-bridge-log-off' } },
  responses: { path: '/v1/responses', names: { upstream: 'upstream', baseline: 'baseline', passthrough: 'responses', converted: 'responses-converted' } },
}

const key = r => `${r.api}/${r.mode}/${r.stream ? 'sse' : 'json'}`

/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** `f` of each round of `a` with the same round of `b`; undefined unless both have equally many rounds. */
function perRound(a, b, f) {
  if (!a.rounds?.length || a.rounds.length !== b.rounds?.length) return undefined
  return a.rounds.map((r, i) => f(r, b.rounds[i]))
}

/**
 * Adds, per row (`api`, `mode`, `stream`, `role` as in {@link APIS}): `addedP50/addedP99` (over
 * direct, all rounds merged); on passthrough rows the per-round `roundRatios` (req/s over
 * baseline) and `roundOverP50s` with their medians `ratio` and `overP50`, and `overP99`
 * (merged); on converted rows the per-round `roundP50Ratios` (p50 over passthrough's) with their
 * median `p50Ratio`, and `overPassthroughP50` (merged); on log-off rows the per-round
 * `roundLogOnRatios` (passthrough's req/s, log on, over this row's) and `roundLogOnOverP50s` with
 * their medians `logOnRatio` and `logOnOverP50`. Rows without rounds compare their merged numbers.
 */
export function derive(results) {
  const by = new Map(results.map(r => [`${key(r)}/${r.role}`, r]))
  return results.map((r) => {
    const direct = by.get(`${key(r)}/upstream`)
    const baseline = by.get(`${key(r)}/baseline`)
    const passthrough = by.get(`${key(r)}/passthrough`)
    const row = { ...r }
    if (direct && r.role !== 'upstream') {
      row.addedP50 = r.p50 - direct.p50
      row.addedP99 = r.p99 - direct.p99
    }
    if (baseline && r.role === 'passthrough') {
      row.roundRatios = perRound(r, baseline, (x, y) => x.rps / y.rps) ?? [r.rps / baseline.rps]
      row.ratio = median(row.roundRatios)
      row.roundOverP50s = perRound(r, baseline, (x, y) => x.p50 - y.p50) ?? [r.p50 - baseline.p50]
      row.overP50 = median(row.roundOverP50s)
      row.overP99 = r.p99 - baseline.p99
    }
    if (passthrough && r.role === 'converted') {
      row.roundP50Ratios = perRound(r, passthrough, (x, y) => x.p50 / y.p50) ?? [r.p50 / passthrough.p50]
      row.p50Ratio = median(row.roundP50Ratios)
      row.overPassthroughP50 = r.p50 - passthrough.p50
    }
    if (passthrough && r.role === 'log-off') {
      row.roundLogOnRatios = perRound(passthrough, r, (x, y) => x.rps / y.rps) ?? [passthrough.rps / r.rps]
      row.logOnRatio = median(row.roundLogOnRatios)
      row.roundLogOnOverP50s = perRound(passthrough, r, (x, y) => x.p50 - y.p50) ?? [passthrough.p50 - r.p50]
      row.logOnOverP50 = median(row.roundLogOnOverP50s)
    }
    return row
  })
}

/**
 * One check per stream kind for each target of each endpoint that was run; `value` is the
 * median over rounds of the per-round comparison, `rounds` every round's; `pass` is null when a
 * target it compares was not run.
 */
export function verdict(rows) {
  const checks = []
  const find = (api, mode, stream, role) => rows.find(r => r.api === api && r.mode === mode && r.stream === stream && r.role === role)
  for (const api of Object.keys(APIS).filter(a => rows.some(r => r.api === a))) {
    const { path, names } = APIS[api]
    for (const stream of [false, true]) {
      const conc = find(api, 'concurrent', stream, 'passthrough')
      const seq = find(api, 'sequential', stream, 'passthrough')
      const kind = stream ? 'sse' : 'json'
      checks.push({
        api,
        check: `${path}: ${names.passthrough} req/s at ${conc?.concurrency ?? 50} concurrent ≥ ${TARGETS.minRpsRatio}x baseline (${kind})`,
        unit: 'x',
        value: conc?.ratio,
        rounds: conc?.roundRatios,
        pass: conc?.ratio === undefined ? null : conc.ratio >= TARGETS.minRpsRatio,
      })
      checks.push({
        api,
        check: `${path}: ${names.passthrough} added p50 sequential ≤ ${TARGETS.maxOverP50Ms} ms over baseline (${kind})`,
        unit: 'ms',
        value: seq?.overP50,
        rounds: seq?.roundOverP50s,
        pass: seq?.overP50 === undefined ? null : seq.overP50 <= TARGETS.maxOverP50Ms,
      })
    }
    // Sequential, one request at a time shows what conversion adds to a request's latency; at 50
    // concurrent (streams, the heavier conversion) the p50 also carries the queueing that slower
    // per-request work causes, which is what a busy gateway's clients see.
    for (const [mode, stream] of [['sequential', false], ['sequential', true], ['concurrent', true]]) {
      const row = find(api, mode, stream, 'converted')
      const where = mode === 'sequential' ? 'sequential' : `at ${row?.concurrency ?? 50} concurrent`
      checks.push({
        api,
        check: `${path}: ${names.converted} p50 ${where} ≤ ${CONVERTED_TARGET.maxP50Ratio}x ${names.passthrough} p50 (${stream ? 'sse' : 'json'})`,
        unit: 'x',
        value: row?.p50Ratio,
        rounds: row?.roundP50Ratios,
        detail: row?.p50Ratio === undefined ? undefined : `all rounds: ${fmt(row.p50)} ms vs ${fmt(row.p50 - row.overPassthroughP50)} ms`,
        pass: row?.p50Ratio === undefined ? null : row.p50Ratio <= CONVERTED_TARGET.maxP50Ratio,
      })
    }
    if (!names['log-off']) continue
    for (const stream of [false, true]) {
      const row = find(api, 'concurrent', stream, 'log-off')
      checks.push({
        api,
        check: `${path}: ${names.passthrough} req/s at ${row?.concurrency ?? 50} concurrent with the request log ≥ ${REQUEST_LOG_TARGET.minRpsRatio}x without (${stream ? 'sse' : 'json'})`,
        unit: 'x',
        value: row?.logOnRatio,
        rounds: row?.roundLogOnRatios,
        pass: row?.logOnRatio === undefined ? null : row.logOnRatio >= REQUEST_LOG_TARGET.minRpsRatio,
      })
    }
  }
  return checks
}

const fmt = (n, digits = 2) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits))
const signed = (n, digits = 2) => (n === undefined || Number.isNaN(n) ? '–' : `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`)
/** A whole number with thousands separators. */
export const group = n => Math.round(n).toLocaleString('en-US')

/** The "compared" cell: against the baseline, passthrough, or (log off) cc-bridge with its log. */
function compared(r) {
  if (r.ratio !== undefined) return `${fmt(r.ratio)}x baseline, p50 ${signed(r.overP50)} ms`
  if (r.p50Ratio !== undefined) return `p50 ${fmt(r.p50Ratio)}x ${APIS[r.api].names.passthrough}`
  if (r.logOnRatio !== undefined) return `log on ${fmt(r.logOnRatio)}x, p50 ${signed(r.logOnOverP50)} ms`
  return ''
}

/** A plain-text table per endpoint plus the verdict lines. */
export function formatTable(rows, checks, meta) {
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'added p50', 'added p99', 'compared', 'errors']
  const body = rows.map(r => ({
    api: r.api,
    cells: [
      `${r.mode === 'sequential' ? 'sequential' : `${r.concurrency} concurrent`} ${r.stream ? 'stream' : 'json'}`,
      r.target,
      Math.round(r.rps).toString(),
      fmt(r.p50),
      fmt(r.p99),
      signed(r.addedP50),
      signed(r.addedP99),
      compared(r),
      r.errors ? String(r.errors) : '0',
    ],
  }))
  const widths = header.map((h, i) => Math.max(h.length, ...body.map(b => b.cells[i].length)))
  const line = cells => cells.map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const out = [
    `cc-bridge bench — ${meta.date}, servers on Node ${meta.serverNode}, load on Node ${meta.node}, ${meta.cpus} CPUs, channels: ${meta.channels}, payload: ${meta.payload ?? 'minimal'}`,
    `req/s and latency over all ${meta.settings.rounds} rounds, each driving a target's process round mod ${meta.settings.processes ?? 1} (processes started alike per`,
    'server); added = latency over calling the fake upstream directly;',
    'compared, each the median over rounds of the per-round value: passthrough (cc-bridge, responses) = req/s ratio and p50 difference',
    'against the baseline; *-converted = the same requests through a cc-bridge whose channels speak the other protocol (openai:',
    'Chat Completions), p50 against passthrough; cc-bridge-log-off = cc-bridge with ENABLE_REQUEST_LOG_DB=false, "log on" =',
    'cc-bridge\'s req/s over this row\'s and its p50 difference',
  ]
  for (const api of Object.keys(APIS).filter(a => body.some(b => b.api === a))) {
    out.push('', `POST ${APIS[api].path}`, line(header), line(widths.map(w => '-'.repeat(w))))
    let prev
    for (const { cells } of body.filter(b => b.api === api)) {
      if (prev !== undefined && cells[0] !== prev) out.push('')
      out.push(line([cells[0] === prev ? '' : cells[0], ...cells.slice(1)]))
      prev = cells[0]
    }
  }
  out.push('', `targets (median of the per-round values; each round's in brackets):`)
  const show = (c, v) => (c.unit === 'x' ? `${fmt(v)}x` : `${signed(v)} ms`)
  for (const c of checks) {
    const measured = `${show(c, c.value)} [${(c.rounds ?? []).map(v => show(c, v)).join(', ')}]${c.detail ? ` (${c.detail})` : ''}`
    out.push(`  ${c.pass === null ? 'n/a ' : c.pass ? 'PASS' : 'MISS'}  ${c.check}: ${c.pass === null ? 'not measured' : measured}`)
  }
  return out.join('\n')
}

/**
 * What each cc-bridge's request log wrote while its rounds ran: rows counted in the database
 * (after the queue had drained) before and after, over the seconds the target was under load,
 * and the rows the queue dropped or gave up meanwhile.
 */
export function formatRequestLog(rows) {
  const logged = rows.filter(r => r.log)
  if (!logged.length) return ''
  const cells = logged.map(r => [
    `${r.api} ${r.mode === 'sequential' ? 'sequential' : `${r.concurrency} concurrent`} ${r.stream ? 'stream' : 'json'}`,
    r.target,
    `${group(r.log.rows)} rows in ${fmt(r.seconds, 1)} s`,
    `${group(r.log.rowsPerSecond)} rows/s`,
    `(${group(r.rps)} req/s)`,
    `${r.log.dropped} dropped, ${r.log.failed} failed`,
    r.log.rows ? `writer ${fmt(r.log.writerCpuUsPerRow, 1)} µs CPU/row` : '',
    r.cpu ? `CPU/req: event loop ${fmt(r.cpu.mainUsPerRequest, 1)} µs, other threads ${fmt(r.cpu.otherUsPerRequest, 1)} µs` : '',
  ])
  const widths = cells[0].map((_, i) => Math.max(...cells.map(c => c[i].length)))
  return [
    'request log: rows written while each target\'s rounds ran, per second under load (counted after the write queue drained;',
    'one row per request, so rows/s should match req/s; dropped = rows the queue let go because the database fell behind;',
    'writer = CPU time the log\'s writer thread spent per row, parsing the batch and in SQLite, from its own thread clock;',
    'CPU/req = the server process\'s CPU per request while its rounds ran, on its main thread (the event loop) and on its',
    'other threads (the log\'s writer, V8\'s garbage-collector helpers), from /proc: on 2 cores shared with the load generator',
    'and the fake upstream, every thread\'s CPU is taken from the requests)',
    '',
    ...cells.map(c => `  ${c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ')}`),
    ...logCostLines(logged),
  ].join('\n')
}

/** Per scenario, what the log adds to a request's CPU: cc-bridge's CPU/req over cc-bridge-log-off's. */
function logCostLines(rows) {
  const lines = []
  // Concurrent runs only: sequential ones leave the server mostly waiting, and their few seconds of CPU are a handful of ticks.
  for (const on of rows.filter(r => r.role === 'passthrough' && r.cpu && r.mode === 'concurrent')) {
    const off = rows.find(r => r.role === 'log-off' && r.cpu && r.api === on.api && r.mode === on.mode && r.stream === on.stream && r.concurrency === on.concurrency)
    if (!off) continue
    const offUs = off.cpu.mainUsPerRequest + off.cpu.otherUsPerRequest
    const main = on.cpu.mainUsPerRequest - off.cpu.mainUsPerRequest
    const other = on.cpu.otherUsPerRequest - off.cpu.otherUsPerRequest
    lines.push(`  the log's cost, ${on.concurrency} concurrent ${on.stream ? 'stream' : 'json'}: ${sign(main)} µs on the event loop, ${sign(other)} µs on other threads per request, ${fmt((main + other) / offUs * 100, 0)}% of the ${fmt(offUs, 0)} µs a request costs with it off`)
  }
  return lines.length ? ['', ...lines] : []
}

const sign = n => `${n >= 0 ? '+' : '−'}${fmt(Math.abs(n), 1)}`

/**
 * The scheduler measurement (scheduler.mjs) against cc-bridge's measured throughput. Extra CPU
 * per request takes throughput in proportion to the CPU time a request already costs: at 50
 * concurrent, with every core busy, 1e6 / req/s µs × `cpus`. The verdict takes the worst case:
 * the strategy with the larger extra over the kind (json, stream) with the higher req/s.
 */
export function schedulerCost(sched, rows, cpus) {
  const us = (channels, strategy) => sched.cases.find(c => c.channels === channels && c.strategy === strategy)?.usPerRequest
  const strategies = [...new Set(sched.cases.map(c => c.strategy))].map((strategy) => {
    const one = us(1, strategy)
    const ten = us(10, strategy)
    return { strategy, oneChannelUs: one, tenChannelsUs: ten, extraUs: ten - one }
  })
  const budgets = [false, true].flatMap((stream) => {
    const r = rows.find(x => x.api === 'messages' && x.mode === 'concurrent' && x.stream === stream && x.role === 'passthrough')
    // Time per request if one core did all the work, too: the server runs its JS on one thread.
    return r && r.rps > 0 ? [{ kind: stream ? 'stream' : 'json', concurrency: r.concurrency, rps: r.rps, oneCoreUs: 1e6 / r.rps, budgetUs: (1e6 / r.rps) * cpus }] : []
  })
  const extra = strategies.reduce((a, b) => (b.extraUs > a.extraUs ? b : a))
  const budget = budgets.length ? budgets.reduce((a, b) => (b.budgetUs < a.budgetUs ? b : a)) : undefined
  const share = budget ? extra.extraUs / budget.budgetUs : undefined
  return {
    iterations: sched.iterations,
    warmup: sched.warmup,
    rounds: sched.rounds,
    users: sched.users,
    cpus,
    cases: sched.cases.map(({ channels, strategy, usPerRequest }) => ({ channels, strategy, usPerRequest })),
    strategies,
    perRequest: budgets,
    check: {
      check: `extra cost of 10 channels ≤ ${SCHEDULER_TARGET.maxShare * 100}% of cc-bridge's time per request at ${budget?.concurrency ?? 50} concurrent`,
      strategy: extra.strategy,
      kind: budget?.kind,
      extraUs: extra.extraUs,
      budgetUs: budget?.budgetUs,
      value: share,
      oneCoreUs: budget?.oneCoreUs,
      oneCoreShare: budget ? extra.extraUs / budget.oneCoreUs : undefined,
      pass: share === undefined ? null : share <= SCHEDULER_TARGET.maxShare,
    },
  }
}

const pct = n => `${(n * 100).toFixed(2)}%`

/** The scheduler section printed after the table. */
export function formatScheduler(cost) {
  const rows = [['strategy', '1 channel', '10 channels', 'extra'], ...cost.strategies.map(s => [
    s.strategy,
    `${fmt(s.oneChannelUs)} µs`,
    `${fmt(s.tenChannelsUs)} µs`,
    `${signed(s.extraUs)} µs`,
  ])]
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)))
  const line = cells => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  const c = cost.check
  const out = [
    `scheduler cost per request, in-process: begin → next → report(success) → chain() → keyMoves(),`,
    `active claude channels with 2 keys each, ${cost.users} affinity users, median of ${cost.rounds} rounds of ${cost.iterations / cost.rounds} requests`,
    '',
    ...rows.map(r => `  ${line(r)}`),
    '',
  ]
  if (c.pass === null) {
    out.push(`  n/a   ${c.check}: not measured (cc-bridge was not run)`)
    return out.join('\n')
  }
  for (const b of cost.perRequest) {
    out.push(`  cc-bridge time per request, ${b.concurrency} concurrent ${b.kind.padEnd(6)}: 1e6 / ${Math.round(b.rps)} req/s × ${cost.cpus} cores = ${fmt(b.budgetUs, 0)} µs`)
  }
  out.push(`  ${c.pass ? 'PASS' : 'MISS'}  ${c.check}: ${signed(c.extraUs)} µs (${c.strategy}) / ${fmt(c.budgetUs, 0)} µs (${c.kind}) = ${pct(c.value)}`)
  // The server runs its JavaScript on one thread, so the share without × cores is shown too.
  out.push(`        without × ${cost.cpus} cores (the server's JS runs on one thread): ${signed(c.extraUs)} µs / ${fmt(c.oneCoreUs, 0)} µs = ${pct(c.oneCoreShare)}`)
  return out.join('\n')
}

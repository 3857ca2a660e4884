// Turns raw load results into the comparison the issues ask for: req/s and latency per target,
// latency added over calling the fake upstream directly, cc-bridge against the baseline, the
// converted path against passthrough, PASS/MISS verdicts, and the scheduler's cost for 10
// channels over one against cc-bridge's time per request. The verdicts are printed, never enforced.
// Comparisons are made round by round (the targets alternate within a round, so a round's
// targets saw the same machine) and judged on the median round, which one noisy round cannot move.

/** The issue's targets: throughput is judged at 50 concurrent, added latency when sequential. */
export const TARGETS = { minRpsRatio: 0.7, maxOverP50Ms: 0.5 }
/**
 * The conversion issue's target: converted p50 at most this multiple of passthrough's, judged
 * sequential (JSON and stream) and for streams at 50 concurrent.
 */
export const CONVERTED_TARGET = { maxP50Ratio: 1.2 }
/** The issue's scheduler target: 10 channels cost at most this share of throughput over one. */
export const SCHEDULER_TARGET = { maxShare: 0.05 }

const key = r => `${r.mode}/${r.stream ? 'sse' : 'json'}`

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
 * Adds `addedP50/addedP99` (over direct, all rounds merged); on cc-bridge rows the per-round
 * `roundRatios` (req/s over baseline) and `roundOverP50s` with their medians `ratio` and
 * `overP50`, and `overP99` (merged); on cc-bridge-converted rows the per-round `roundP50Ratios`
 * (p50 over cc-bridge's) with their median `p50Ratio`, and `overPassthroughP50` (merged). Rows
 * without rounds compare their merged numbers.
 */
export function derive(results) {
  const by = new Map(results.map(r => [`${key(r)}/${r.target}`, r]))
  return results.map((r) => {
    const direct = by.get(`${key(r)}/upstream`)
    const baseline = by.get(`${key(r)}/baseline`)
    const passthrough = by.get(`${key(r)}/cc-bridge`)
    const row = { ...r }
    if (direct && r.target !== 'upstream') {
      row.addedP50 = r.p50 - direct.p50
      row.addedP99 = r.p99 - direct.p99
    }
    if (baseline && r.target === 'cc-bridge') {
      row.roundRatios = perRound(r, baseline, (x, y) => x.rps / y.rps) ?? [r.rps / baseline.rps]
      row.ratio = median(row.roundRatios)
      row.roundOverP50s = perRound(r, baseline, (x, y) => x.p50 - y.p50) ?? [r.p50 - baseline.p50]
      row.overP50 = median(row.roundOverP50s)
      row.overP99 = r.p99 - baseline.p99
    }
    if (passthrough && r.target === 'cc-bridge-converted') {
      row.roundP50Ratios = perRound(r, passthrough, (x, y) => x.p50 / y.p50) ?? [r.p50 / passthrough.p50]
      row.p50Ratio = median(row.roundP50Ratios)
      row.overPassthroughP50 = r.p50 - passthrough.p50
    }
    return row
  })
}

/**
 * One check per stream kind for each target; `value` is the median over rounds of the per-round
 * comparison, `rounds` every round's; `pass` is null when a target it compares was not run.
 */
export function verdict(rows) {
  const checks = []
  for (const stream of [false, true]) {
    const conc = rows.find(r => r.mode === 'concurrent' && r.stream === stream && r.target === 'cc-bridge')
    const seq = rows.find(r => r.mode === 'sequential' && r.stream === stream && r.target === 'cc-bridge')
    const kind = stream ? 'sse' : 'json'
    checks.push({
      check: `req/s at ${conc?.concurrency ?? 50} concurrent ≥ ${TARGETS.minRpsRatio}x baseline (${kind})`,
      unit: 'x',
      value: conc?.ratio,
      rounds: conc?.roundRatios,
      pass: conc?.ratio === undefined ? null : conc.ratio >= TARGETS.minRpsRatio,
    })
    checks.push({
      check: `added p50 sequential ≤ ${TARGETS.maxOverP50Ms} ms over baseline (${kind})`,
      unit: 'ms',
      value: seq?.overP50,
      rounds: seq?.roundOverP50s,
      pass: seq?.overP50 === undefined ? null : seq.overP50 <= TARGETS.maxOverP50Ms,
    })
  }
  // Sequential, one request at a time shows what conversion adds to a request's latency; at 50
  // concurrent (streams, the heavier conversion) the p50 also carries the queueing that slower
  // per-request work causes, which is what a busy gateway's clients see.
  const converted = [['sequential', false], ['sequential', true], ['concurrent', true]]
  for (const [mode, stream] of converted) {
    const row = rows.find(r => r.mode === mode && r.stream === stream && r.target === 'cc-bridge-converted')
    const where = mode === 'sequential' ? 'sequential' : `at ${row?.concurrency ?? 50} concurrent`
    checks.push({
      check: `converted p50 ${where} ≤ ${CONVERTED_TARGET.maxP50Ratio}x passthrough p50 (${stream ? 'sse' : 'json'})`,
      unit: 'x',
      value: row?.p50Ratio,
      rounds: row?.roundP50Ratios,
      detail: row?.p50Ratio === undefined ? undefined : `all rounds: ${fmt(row.p50)} ms vs ${fmt(row.p50 - row.overPassthroughP50)} ms`,
      pass: row?.p50Ratio === undefined ? null : row.p50Ratio <= CONVERTED_TARGET.maxP50Ratio,
    })
  }
  return checks
}

const fmt = (n, digits = 2) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits))
const signed = (n, digits = 2) => (n === undefined || Number.isNaN(n) ? '–' : `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`)

/** A plain-text table plus the verdict lines. */
export function formatTable(rows, checks, meta) {
  const header = ['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'added p50', 'added p99', 'vs baseline', 'errors']
  const body = rows.map(r => [
    `${r.mode === 'sequential' ? 'sequential' : `${r.concurrency} concurrent`} ${r.stream ? 'stream' : 'json'}`,
    r.target,
    Math.round(r.rps).toString(),
    fmt(r.p50),
    fmt(r.p99),
    signed(r.addedP50),
    signed(r.addedP99),
    r.ratio !== undefined ? `${fmt(r.ratio)}x, p50 ${signed(r.overP50)} ms` : r.p50Ratio !== undefined ? `p50 ${fmt(r.p50Ratio)}x cc-bridge` : '',
    r.errors ? String(r.errors) : '0',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map(b => b[i].length)))
  const line = cells => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const out = [
    `cc-bridge bench — ${meta.date}, servers on Node ${meta.serverNode}, load on Node ${meta.node}, ${meta.cpus} CPUs, channels: ${meta.channels}`,
    `req/s and latency over all ${meta.settings.rounds} rounds; added = latency over calling the fake upstream directly;`,
    'vs baseline = req/s ratio and p50 difference, each the median over rounds of the per-round value;',
    'cc-bridge-converted = the same /v1/messages requests through a second cc-bridge to an openai channel, p50 against cc-bridge\'s passthrough (median round)',
    '',
    line(header),
    line(widths.map(w => '-'.repeat(w))),
  ]
  let prev
  for (const b of body) {
    if (prev !== undefined && b[0] !== prev) out.push('')
    out.push(line([b[0] === prev ? '' : b[0], ...b.slice(1)]))
    prev = b[0]
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
    const r = rows.find(x => x.mode === 'concurrent' && x.stream === stream && x.target === 'cc-bridge')
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

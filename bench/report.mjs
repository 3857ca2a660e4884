// Turns raw load results into the comparison the Foundation issue asks for: req/s and latency
// per target, latency added over calling the fake upstream directly, cc-bridge against the
// baseline, and a PASS/MISS verdict. The verdict is printed, never enforced.

/** The issue's targets: throughput is judged at 50 concurrent, added latency when sequential. */
export const TARGETS = { minRpsRatio: 0.6, maxOverP50Ms: 0.5 }

const key = r => `${r.mode}/${r.stream ? 'sse' : 'json'}`

/** Adds `addedP50/addedP99` (over direct) and, on cc-bridge rows, `ratio/overP50/overP99` (over baseline). */
export function derive(results) {
  const by = new Map(results.map(r => [`${key(r)}/${r.target}`, r]))
  return results.map((r) => {
    const direct = by.get(`${key(r)}/upstream`)
    const baseline = by.get(`${key(r)}/baseline`)
    const row = { ...r }
    if (direct && r.target !== 'upstream') {
      row.addedP50 = r.p50 - direct.p50
      row.addedP99 = r.p99 - direct.p99
    }
    if (baseline && r.target === 'cc-bridge') {
      row.ratio = r.rps / baseline.rps
      row.overP50 = r.p50 - baseline.p50
      row.overP99 = r.p99 - baseline.p99
    }
    return row
  })
}

/** One check per stream kind for each target; `pass` is null when cc-bridge or the baseline was not run. */
export function verdict(rows) {
  const checks = []
  for (const stream of [false, true]) {
    const conc = rows.find(r => r.mode === 'concurrent' && r.stream === stream && r.target === 'cc-bridge')
    const seq = rows.find(r => r.mode === 'sequential' && r.stream === stream && r.target === 'cc-bridge')
    const kind = stream ? 'sse' : 'json'
    checks.push({
      check: `req/s at ${conc?.concurrency ?? 50} concurrent ≥ ${TARGETS.minRpsRatio * 100}% of baseline (${kind})`,
      value: conc?.ratio,
      pass: conc?.ratio === undefined ? null : conc.ratio >= TARGETS.minRpsRatio,
    })
    checks.push({
      check: `added p50 sequential ≤ ${TARGETS.maxOverP50Ms} ms over baseline (${kind})`,
      value: seq?.overP50,
      pass: seq?.overP50 === undefined ? null : seq.overP50 <= TARGETS.maxOverP50Ms,
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
    r.ratio === undefined ? '' : `${fmt(r.ratio)}x, p50 ${signed(r.overP50)} ms`,
    r.errors ? String(r.errors) : '0',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...body.map(b => b[i].length)))
  const line = cells => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const out = [
    `cc-bridge bench — ${meta.date}, servers on Node ${meta.serverNode}, load on Node ${meta.node}, ${meta.cpus} CPUs, channels: ${meta.channels}`,
    'added = latency over calling the fake upstream directly; vs baseline = req/s ratio and p50 difference',
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
  out.push('', 'targets:')
  for (const c of checks) {
    const value = c.check.startsWith('req/s') ? `${fmt(c.value)}x` : `${signed(c.value)} ms`
    out.push(`  ${c.pass === null ? 'n/a ' : c.pass ? 'PASS' : 'MISS'}  ${c.check}: ${c.pass === null ? 'not measured' : value}`)
  }
  return out.join('\n')
}

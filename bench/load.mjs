// A small closed-loop load generator: `concurrency` workers, each with one request in flight on
// its own keep-alive connection, reading every response to its end. Latency is request start →
// last body byte. The connections are raw sockets (`http-connection.mjs`) rather than an HTTP
// client library: on these two cores an undici client took ~130 µs of CPU per request, about as
// much as the proxy it measured, and more per request the slower the server answered, so any
// cost the server added came back amplified in the generator.
import { performance } from 'node:perf_hooks'
import { createConnection, requestBytes } from './http-connection.mjs'

/**
 * A loader for one target: one connection per worker, like a real client pool, kept across
 * `run` calls so later rounds reuse warm connections.
 */
export function createLoader({ url, headers, concurrency }) {
  const target = new URL(url)
  const connections = Array.from({ length: concurrency }, () => createConnection(target))
  return {
    /** Sends `body` until `requests` are done or `durationMs` has passed, whichever comes first. */
    run: ({ body, requests, durationMs = Infinity }) => drive({ connections, bytes: requestBytes(target, headers, body), requests, durationMs }),
    close: async () => {
      for (const c of connections) c.close()
    },
  }
}

async function drive({ connections, bytes, requests, durationMs }) {
  const latencies = new Float64Array(requests)
  let issued = 0
  let ok = 0
  let errors = 0
  let firstError
  const start = performance.now()
  const deadline = start + durationMs

  async function worker(connection) {
    while (issued < requests && performance.now() < deadline) {
      issued++
      const t0 = performance.now()
      try {
        const { status, text } = await connection.send(bytes)
        if (status !== 200) {
          errors++
          firstError ??= `HTTP ${status}: ${text}`
        }
        else {
          latencies[ok++] = performance.now() - t0
        }
      }
      catch (err) {
        errors++
        firstError ??= err.message
      }
      // A dead target fails fast; give up instead of spinning for the whole duration.
      if (errors > 50 && errors > ok) return
    }
  }

  await Promise.all(connections.map(worker))
  return { latencies: latencies.subarray(0, ok), errors, firstError, seconds: (performance.now() - start) / 1000 }
}

/** Merges the rounds of one target into req/s (all requests over all time) and latency percentiles. */
export function summarize(runs) {
  const total = runs.reduce((n, r) => n + r.latencies.length, 0)
  const all = new Float64Array(total)
  let at = 0
  for (const r of runs) {
    all.set(r.latencies, at)
    at += r.latencies.length
  }
  all.sort()
  const seconds = runs.reduce((s, r) => s + r.seconds, 0)
  return {
    requests: total,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    firstError: runs.find(r => r.firstError)?.firstError,
    seconds,
    rps: total / seconds,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
  }
}

/** The merged summary of `summarize`, plus each round's own (`rounds`), for per-round comparisons. */
export function summarizeRounds(runs) {
  const rounds = runs.map((r) => {
    const { requests, errors, seconds, rps, p50, p99 } = summarize([r])
    return { requests, errors, seconds, rps, p50, p99 }
  })
  return { ...summarize(runs), rounds }
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

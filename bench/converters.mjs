// Converter throughput, measured in-process: how many upstream SSE events per second the stream
// conversion handles on a long recorded-style stream, for both directions. End-to-end runs use
// streams of a few events, where conversion is lost in the HTTP cost; a long stream of small
// deltas (what a real answer looks like) shows the per-event cost of parse → convert → frame.
// Runs alone (`node bench/converters.mjs [--json]`) or from run.mjs, which spawns it.
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { isMain } from './child.mjs'
import { importSource } from './import-source.mjs'
import { group, median } from './report.mjs'

/** Stream shape; the defaults are what the issue asks for (5,000 text deltas, a 500-fragment tool call). */
export const SHAPE = { textDeltas: 5000, toolFragments: 500, thinkingDeltas: 200 }
/** The byte-sliced run: chunk boundaries anywhere, mid-event and mid-character included. */
const SLICE_BYTES = 1024

/** The converters and both transforms from the TypeScript source (see import-source.mjs). */
function loadConverters() {
  return importSource([
    `export { transcodeTransform } from './server/utils/sse/transcode.ts'`,
    `export { passthroughTransform } from './server/utils/sse/passthrough.ts'`,
    `export { anthropicSse, openaiChatSse } from './server/utils/sse/protocols.ts'`,
    `export { anthropicToOpenAI } from './server/utils/convert/anthropic-to-openai/index.ts'`,
    `export { openaiToAnthropic } from './server/utils/convert/openai-to-anthropic/index.ts'`,
  ], 'bench-converters')
}

// Short pieces as models stream them, some non-ASCII so the UTF-8 decoding is exercised too
// (a 1 KiB slice then regularly cuts a character in half).
const TEXT = [' The', ' quick fix', ' is to', ' retry the', ' request', ' — then', ' check', ' the café', ' logs:', ' 再试一次', ' 🚀 and', ' the', ' cache', ' hit', ' rate.\n']
const THINKING = [' The user', ' wants', ' the build', ' fixed;', ' first', ' read the', ' error —', ' it says']
const ARGS = ['ls -la', ' src/', 'dir', ' && ', 'grep -rn', ' "TODO"', ' .', ' | head', ' -n 5', '; ']

/** A Chat Completions stream as OpenAI sends it: role, content, one tool call, finish, usage, [DONE]. */
export function chatStream({ textDeltas, toolFragments }) {
  const base = { id: 'chatcmpl-Bx7kq2VfR9dLm0Yt3NcPa8HsE1wZ', object: 'chat.completion.chunk', created: 1770933892, model: 'gpt-4.1-2025-04-14', service_tier: 'default', system_fingerprint: 'fp_de604bd877' }
  const chunk = (delta, finish = null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null })}\n\n`
  const events = [chunk({ role: 'assistant', content: '' })]
  for (let i = 0; i < textDeltas; i++) events.push(chunk({ content: TEXT[i % TEXT.length] }))
  events.push(chunk({ tool_calls: [{ index: 0, id: 'call_q1', type: 'function', function: { name: 'Bash', arguments: '' } }] }))
  // JSON.stringify of the whole arguments, then cut: fragments split escapes and words like real ones.
  const args = fragments(JSON.stringify({ command: Array.from({ length: toolFragments }, (_, i) => ARGS[i % ARGS.length]).join('') }), toolFragments)
  for (const piece of args) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }))
  events.push(chunk({}, 'tool_calls'))
  events.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 9000, completion_tokens: 12000, total_tokens: 21000, prompt_tokens_details: { cached_tokens: 8192, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } } })}\n\n`)
  events.push('data: [DONE]\n\n')
  return events
}

/** An Anthropic Messages stream: thinking, long text, one tool_use with streamed input, end. */
export function anthropicStream({ textDeltas, toolFragments, thinkingDeltas }) {
  const sse = (type, payload) => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`
  const delta = (index, d) => sse('content_block_delta', { index, delta: d })
  const events = [
    sse('message_start', { message: { id: 'msg_014p7gG3wDgGV9EUtLvnow3U', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9000, cache_creation_input_tokens: 0, cache_read_input_tokens: 8192, output_tokens: 2 } } }),
    sse('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
  ]
  for (let i = 0; i < thinkingDeltas; i++) events.push(delta(0, { type: 'thinking_delta', thinking: THINKING[i % THINKING.length] }))
  events.push(delta(0, { type: 'signature_delta', signature: 'EqQBCkYIBxgCKkDx9Zr0b3Hk+Qm/sig==' }))
  events.push(sse('content_block_stop', { index: 0 }))
  events.push(sse('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }))
  for (let i = 0; i < textDeltas; i++) {
    events.push(delta(1, { type: 'text_delta', text: TEXT[i % TEXT.length] }))
    // Anthropic sends a ping now and then; the converter must skip it.
    if (i % 1000 === 999) events.push(sse('ping', {}))
  }
  events.push(sse('content_block_stop', { index: 1 }))
  events.push(sse('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'Bash', input: {} } }))
  const args = fragments(JSON.stringify({ command: Array.from({ length: toolFragments }, (_, i) => ARGS[i % ARGS.length]).join('') }), toolFragments)
  for (const partial of args) events.push(delta(2, { type: 'input_json_delta', partial_json: partial }))
  events.push(sse('content_block_stop', { index: 2 }))
  events.push(sse('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 12000 } }))
  events.push(sse('message_stop', {}))
  return events
}

/** `text` cut into exactly `count` nearly equal, non-empty fragments (`text` is longer than `count`). */
function fragments(text, count) {
  const at = i => Math.floor((i * text.length) / count)
  return Array.from({ length: count }, (_, i) => text.slice(at(i), at(i + 1)))
}

/** A small seeded PRNG, so every run (and every round) feeds the same chunk boundaries. */
function lcg(seed) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** Network-sized reads: 1–4 whole events per chunk, as an upstream flushing every few tokens gives. */
function eventChunks(events) {
  const rand = lcg(42)
  const chunks = []
  for (let i = 0; i < events.length;) {
    const n = 1 + Math.floor(rand() * 4)
    chunks.push(Buffer.from(events.slice(i, i + n).join('')))
    i += n
  }
  return chunks
}

function byteSlices(events, size) {
  const all = Buffer.from(events.join(''))
  const chunks = []
  for (let at = 0; at < all.length; at += size) chunks.push(all.subarray(at, at + size))
  return chunks
}

/** One pass of a stream through a fresh transform; returns the output length, so the work is used. */
function runOnce(makeTransform, chunks) {
  const { transform, start } = makeTransform()
  let chars = start.length
  for (const chunk of chunks) chars += transform.push(chunk).length
  const { tail, error } = transform.end()
  if (error) throw new Error(`stream did not finish: ${error}`)
  return chars + tail.length
}

/** The cases: both directions, converted in two chunkings, and passthrough on the same bytes for scale. */
function createCases(lib, shape) {
  const directions = [
    {
      direction: 'chat-to-anthropic',
      label: 'Chat → Anthropic (messages client, openai channel)',
      events: chatStream(shape),
      converter: lib.anthropicToOpenAI,
      ctx: { requestModel: 'claude-sonnet-4-5', upstreamModel: 'gpt-4.1', stream: true },
      dialect: lib.openaiChatSse,
      terminal: 'event: message_stop',
    },
    {
      direction: 'anthropic-to-chat',
      label: 'Anthropic → Chat (chat client, claude channel)',
      events: anthropicStream(shape),
      converter: lib.openaiToAnthropic,
      ctx: { requestModel: 'gpt-4.1', upstreamModel: 'claude-sonnet-4-5', stream: true, includeUsage: true },
      dialect: lib.anthropicSse,
      terminal: 'data: [DONE]',
    },
  ]
  return directions.flatMap((d) => {
    const bytes = Buffer.byteLength(d.events.join(''))
    const converted = () => {
      const stream = d.converter.stream(d.ctx)
      return { transform: lib.transcodeTransform(stream), start: stream.start().join('') }
    }
    const passthrough = () => ({ transform: lib.passthroughTransform(d.dialect), start: '' })
    const common = { direction: d.direction, label: d.label, events: d.events.length, bytes }
    return [
      { ...common, path: 'converted', chunking: '1-4 events', chunks: eventChunks(d.events), make: converted, terminal: d.terminal },
      { ...common, path: 'converted', chunking: `${SLICE_BYTES} B slices`, chunks: byteSlices(d.events, SLICE_BYTES), make: converted, terminal: d.terminal },
      { ...common, path: 'passthrough', chunking: '1-4 events', chunks: eventChunks(d.events), make: passthrough },
    ]
  })
}

/** The converted output once, outside the timing: a broken converter must not look fast. */
function check(c) {
  const { transform, start } = c.make()
  let out = start
  for (const chunk of c.chunks) out += transform.push(chunk).toString()
  const { tail, error } = transform.end()
  out += tail.toString()
  if (error) throw new Error(`${c.direction} (${c.chunking}): ${error}`)
  if (c.terminal && !out.includes(c.terminal)) throw new Error(`${c.direction} (${c.chunking}): no "${c.terminal}" in the output`)
  if (c.terminal && out.includes('"error"')) throw new Error(`${c.direction} (${c.chunking}): the output carries an error event`)
  return Buffer.byteLength(out)
}

/**
 * Upstream events/s and MB/s for every case. Rounds alternate the cases so that a noisy moment
 * lands on all of them; each case's median round is reported.
 */
export async function measureConverters({ rounds = 7, warmup = 3, shape = SHAPE } = {}) {
  const lib = await loadConverters()
  const cases = createCases(lib, shape)
  const outBytes = cases.map(check)
  for (const c of cases) {
    for (let i = 0; i < warmup; i++) runOnce(c.make, c.chunks)
  }
  const samples = cases.map(() => [])
  let sink = 0
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of cases.entries()) {
      const t0 = performance.now()
      sink += runOnce(c.make, c.chunks)
      samples[i].push(performance.now() - t0)
    }
  }
  return {
    rounds,
    warmup,
    shape,
    sink,
    cases: cases.map((c, i) => {
      const ms = median(samples[i])
      return {
        direction: c.direction,
        label: c.label,
        path: c.path,
        chunking: c.chunking,
        events: c.events,
        bytes: c.bytes,
        outBytes: outBytes[i],
        chunks: c.chunks.length,
        msPerStream: ms,
        eventsPerSecond: c.events / (ms / 1000),
        mbPerSecond: c.bytes / 1e6 / (ms / 1000),
        rounds: samples[i],
      }
    }),
  }
}

/** The section run.mjs prints (and this script prints alone). */
export function formatConverters(result) {
  const out = [
    'converter throughput, in-process: upstream SSE bytes → transcodeTransform(converter.stream(ctx)) → client frames,',
    `${result.shape.textDeltas.toLocaleString('en-US')} text deltas + a tool call of ${result.shape.toolFragments} argument fragments per stream, median of ${result.rounds} rounds (MB = 1e6 bytes of upstream input)`,
  ]
  for (const direction of [...new Set(result.cases.map(c => c.direction))]) {
    const cases = result.cases.filter(c => c.direction === direction)
    const first = cases[0]
    out.push('', `  ${first.label}: ${group(first.events)} events, ${(first.bytes / 1e6).toFixed(2)} MB in`)
    const rows = cases.map(c => [
      `${c.path} ${c.path === 'passthrough' ? '(reference)' : ''}`.trim(),
      `${c.chunking} (${group(c.chunks)} chunks)`,
      `${group(c.eventsPerSecond)} events/s`,
      `${c.mbPerSecond.toFixed(1)} MB/s`,
      `${c.msPerStream.toFixed(1)} ms/stream`,
      `${(c.outBytes / 1e6).toFixed(2)} MB out`,
    ])
    const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)))
    for (const r of rows) out.push(`    ${r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`)
  }
  return out.join('\n')
}

const USAGE = `usage: node bench/converters.mjs [options]
  --rounds N        timed passes per case, alternating cases; the median is kept (default 7)
  --warmup N        untimed passes per case first (default 3)
  --text-deltas N   text deltas per stream (default ${SHAPE.textDeltas})
  --tool-fragments N
                    argument fragments of the tool call (default ${SHAPE.toolFragments})
  --json            print the results as JSON`

async function main() {
  const { values } = parseArgs({
    options: {
      'rounds': { type: 'string', default: '7' },
      'warmup': { type: 'string', default: '3' },
      'text-deltas': { type: 'string', default: String(SHAPE.textDeltas) },
      'tool-fragments': { type: 'string', default: String(SHAPE.toolFragments) },
      'json': { type: 'boolean', default: false },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const int = (name, min = 1) => {
    const n = Number(values[name])
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${values[name]}"`)
    return n
  }
  const shape = { ...SHAPE, textDeltas: int('text-deltas'), toolFragments: int('tool-fragments') }
  const result = await measureConverters({ rounds: int('rounds'), warmup: int('warmup', 0), shape })
  console.log(values.json ? JSON.stringify(result) : formatConverters(result))
}

if (isMain(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`converter bench failed: ${err.message}\n`)
    process.exitCode = 1
  })
}

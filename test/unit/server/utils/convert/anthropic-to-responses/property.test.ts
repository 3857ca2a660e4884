import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { transcodeTransform } from '#server/utils/sse/transcode'
import { assembledBlocks } from '../anthropic-stream'
import { ctx, fixture, runStream, testConverter } from './helpers'

type Block = Record<string, unknown>

const TRANSCRIPTS = [
  'text', 'reasoning-summary', 'parallel-function-calls', 'cached-reasoning-usage', 'incomplete-max-output-tokens',
  'arguments-without-deltas', 'utf8', 'failed-mid-stream', 'error-event-quota', 'truncated',
]

/** Feeds bytes through the same SSE reader the proxy uses, cut at the given offsets. */
function transcodeChunked(bytes: Buffer, cuts: number[]): string {
  const transform = transcodeTransform(testConverter().stream(ctx))
  const points = [...new Set(cuts.map(c => c % (bytes.length + 1)))].sort((a, b) => a - b)
  let out = ''
  let from = 0
  for (const p of [...points, bytes.length]) {
    out += transform.push(bytes.subarray(from, p)).toString()
    from = p
  }
  return out + transform.end().tail.toString()
}

describe('stream conversion properties', () => {
  it.each(TRANSCRIPTS)('%s: any byte chunking (UTF-8 characters cut included) gives the same client frames', (name) => {
    const bytes = Buffer.from(fixture(`${name}.txt`))
    const expected = runStream(fixture(`${name}.txt`))
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      expect(transcodeChunked(bytes, cuts)).toBe(expected)
    }), { numRuns: 150 })
  })

  it('the UTF-8 transcript holds characters a byte cut can split', () => {
    const bytes = Buffer.from(fixture('utf8.txt'))
    const at = bytes.indexOf(Buffer.from('👋')) + 2
    expect(transcodeChunked(bytes, [at])).toContain('"text":" 👋 —"')
  })

  /** Cuts a string at the given points (modulo its length) into consecutive fragments. */
  const split = (s: string, cuts: number[]) => {
    const points = [...new Set(cuts.map(c => c % (s.length + 1)))].sort((a, b) => a - b)
    return [0, ...points].map((p, i, all) => s.slice(p, all[i + 1] ?? s.length)).filter(Boolean)
  }
  const text = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter(s => s.trim().length > 0)
  const input = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 3 })

  it('reassembles thinking, text and tool arguments however the upstream fragments them', () => {
    fc.assert(fc.property(text, text, input, input, fc.array(fc.nat(), { maxLength: 6 }), (thought, content, a, b, cuts) => {
      const argsA = JSON.stringify(a)
      const argsB = JSON.stringify(b)
      const event = (type: string, fields: Block) => ({ event: type, data: JSON.stringify({ type, ...fields }) })
      const call = (output_index: number, call_id: string, name: string, args: string) => [
        event('response.output_item.added', { output_index, item: { type: 'function_call', call_id, name, arguments: '' } }),
        ...split(args, cuts).map(delta => event('response.function_call_arguments.delta', { output_index, delta })),
        event('response.output_item.done', { output_index, item: { type: 'function_call', call_id, name, arguments: args } }),
      ]
      const events = [
        event('response.output_item.added', { output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [] } }),
        ...split(thought, cuts).map(delta => event('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta })),
        event('response.output_item.done', { output_index: 0, item: { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: thought }], encrypted_content: 'enc' } }),
        event('response.output_item.added', { output_index: 1, item: { type: 'message', content: [] } }),
        ...split(content, cuts).map(delta => event('response.output_text.delta', { output_index: 1, content_index: 0, delta })),
        ...call(2, 'call_a', 'A', argsA),
        ...call(3, 'call_b', 'B', argsB),
        event('response.completed', { response: { status: 'completed', usage: { input_tokens: 1, output_tokens: 1 } } }),
      ]
      const s = testConverter().stream(ctx)
      const frames = [...s.start(), ...events.flatMap(e => s.push(e)), ...s.end()].join('')
      expect(assembledBlocks(frames)).toEqual([
        { type: 'thinking', thinking: thought, signature: 'ccbridge.responses.v1:rs_1:enc' },
        { type: 'text', text: content },
        { type: 'tool_use', id: 'call_a', name: 'A', input: a },
        { type: 'tool_use', id: 'call_b', name: 'B', input: b },
      ])
      expect(s.finished).toBe(true)
    }), { numRuns: 300 })
  })
})

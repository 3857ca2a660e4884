import { Buffer } from 'node:buffer'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StreamedInput } from '#server/utils/convert/responses-common/streamed-input'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import type { ProtocolConverter } from '#server/utils/convert/types'
import { transcodeTransform } from '#server/utils/sse/transcode'
import { splitAt } from '../../../../../support/split'
import { CODEX_TOOLS_REQUEST, ctx, fixture, frames } from './helpers'
import { CHAT_GOLDEN } from '../responses-to-chat/golden'
import { ANTHROPIC_GOLDEN } from '../responses-to-anthropic/golden'

/** Runs upstream bytes, cut into `parts`, through the relay's decoder and a fresh converter. */
function transcode(make: () => ProtocolConverter, parts: Buffer[]): string {
  const converter = make()
  const context = ctx()
  converter.request(CODEX_TOOLS_REQUEST, context)
  const stream = converter.stream(context)
  const t = transcodeTransform(stream)
  let out = stream.start().join('')
  for (const p of parts) out += t.push(p)
  return out + t.end().tail
}

const counting = (create: typeof createResponsesToChat) => () => {
  let n = 0
  return create({ newId: prefix => `${prefix}_${++n}`, now: () => 0 })
}

const cases: Array<[string, () => ProtocolConverter, string]> = [
  ...CHAT_GOLDEN.map(([name, input]): [string, () => ProtocolConverter, string] => [`Chat ${name}`, counting(createResponsesToChat), input]),
  ...ANTHROPIC_GOLDEN.map(([name, input]): [string, () => ProtocolConverter, string] => [`Anthropic ${name}`, counting(createResponsesToAnthropic), input]),
]

describe('any byte chunking of the upstream stream gives the same Responses frames', () => {
  it.each(cases)('%s', (_name, make, input) => {
    const whole = Buffer.from(fixture(input))
    const expected = transcode(make, [whole])
    expect(expected).toContain('response.created')
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
      expect(transcode(make, splitAt(whole, cuts))).toBe(expected)
    }), { numRuns: 100 })
    const bytes = [...whole].map(b => Buffer.from([b]))
    const byteByByte = transcode(make, bytes)
    expect(byteByByte).toBe(expected)
    expect(byteByByte).not.toContain('\uFFFD')
  })
})

describe('custom tool input streaming', () => {
  const cutsOf = (s: string, cuts: number[]) => {
    const points = [...new Set(cuts.map(c => c % (s.length + 1)))].sort((a, b) => a - b)
    return [0, ...points].map((p, i, all) => s.slice(p, all[i + 1] ?? s.length))
  }

  it('decodes the input exactly for any split of the JSON arguments, never emitting a lone surrogate', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\t', 'é', '😀', '\u2028', '/', ' '), maxLength: 40 })
    fc.assert(fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (input, cuts, asciiOnly) => {
      const json = asciiOnly ? JSON.stringify({ input }).replace(/[^\x20-\x7E]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : JSON.stringify({ input })
      const decoder = new StreamedInput()
      const deltas = cutsOf(json, cuts).map(f => decoder.feed(f))
      expect(deltas.join('')).toBe(input)
      for (const d of deltas) expect(d).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/)
    }), { numRuns: 500 })
  })

  it('streams a custom tool call whose arguments arrive in any fragments into the same final input', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), fc.array(fc.nat(), { maxLength: 8 }), (patch, cuts) => {
      const args = JSON.stringify({ input: patch })
      const chunk = (delta: object, finish: string | null = null) => ({ data: JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }], usage: finish ? { prompt_tokens: 1, completion_tokens: 1 } : null }) })
      const converter = counting(createResponsesToChat)()
      const context = ctx()
      converter.request(CODEX_TOOLS_REQUEST, context)
      const stream = converter.stream(context)
      const out = [
        ...stream.start(),
        ...stream.push(chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'apply_patch', arguments: '' } }] })),
        ...cutsOf(args, cuts).flatMap(f => stream.push(chunk({ tool_calls: [{ index: 0, function: { arguments: f } }] }))),
        ...stream.push(chunk({}, 'tool_calls')),
      ].join('')
      const events = frames(out).map(([, d]) => d)
      const deltas = events.filter(d => d.type === 'response.custom_tool_call_input.delta').map(d => d.delta).join('')
      expect(deltas).toBe(patch)
      expect(events.find(d => d.type === 'response.output_item.done')!.item).toMatchObject({ type: 'custom_tool_call', input: patch })
    }), { numRuns: 300 })
  })
})

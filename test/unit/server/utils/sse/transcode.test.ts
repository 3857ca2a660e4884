import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAnthropicToOpenAI } from '#server/utils/convert/anthropic-to-openai'
import { createOpenAIToAnthropic } from '#server/utils/convert/openai-to-anthropic'
import type { ConvertContext, ProtocolConverter } from '#server/utils/convert/types'
import { transcodeTransform } from '#server/utils/sse/transcode'
import { splitAt } from '../../../../support/split'

const fixtures = join(import.meta.dirname, '../../../../fixtures')
const ctx: ConvertContext = { requestModel: 'claude-test', upstreamModel: 'up', stream: true, includeUsage: true }

/** Converters whose minted ids and clock are deterministic, so two runs can be compared. */
function toAnthropic(): ProtocolConverter {
  let n = 0
  return createAnthropicToOpenAI({ newId: prefix => `${prefix}_${++n}` })
}
function toChat(): ProtocolConverter {
  let n = 0
  return createOpenAIToAnthropic({ newId: prefix => `${prefix}_${++n}`, now: () => 0 })
}

function transcode(converter: ProtocolConverter, parts: Buffer[]): string {
  const stream = converter.stream(ctx)
  const t = transcodeTransform(stream)
  let out = stream.start().join('')
  for (const p of parts) out += t.push(p)
  out += t.end().tail
  return out
}

const cases: [string, () => ProtocolConverter, string][] = [
  ['Chat stream → Anthropic events (UTF-8 text)', toAnthropic, 'openai-chat/utf8-text.txt'],
  ['Chat stream → Anthropic events (reasoning + tool call)', toAnthropic, 'openai-chat/deepseek-reasoning-tool-call.txt'],
  ['Chat stream → Anthropic events (interleaved parallel tools)', toAnthropic, 'openai-chat/parallel-tool-calls-interleaved.txt'],
  ['Anthropic stream → Chat chunks (UTF-8 text)', toChat, 'anthropic/utf8.txt'],
  ['Anthropic stream → Chat chunks (split tool input)', toChat, 'anthropic/tool-use-split.txt'],
]

describe('transcodeTransform: byte order marks', () => {
  const chunk = (body: object) => `data: ${JSON.stringify(body)}\n\n`
  const body = chunk({ choices: [{ index: 0, delta: { content: 'a\uFEFFb' } }] })
    + chunk({ choices: [{ index: 0, delta: { content: 'ü\uFEFF' } }] })
    + chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2 } })

  it('strips one at the start of the stream only, however the stream is chunked', () => {
    for (const whole of [Buffer.from(`\uFEFF${body}`), Buffer.from(body)]) {
      const expected = transcode(toAnthropic(), [whole])
      expect(expected).toContain('"text":"a\uFEFFb"')
      expect(expected).toContain('"text":"ü\uFEFF"')
      expect(expected).toContain('event: message_stop')
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => {
        expect(transcode(toAnthropic(), splitAt(whole, cuts))).toBe(expected)
      }), { numRuns: 300 })
    }
  })
})

describe('transcodeTransform: chunking never changes what the client gets', () => {
  for (const [name, make, file] of cases) {
    const whole = readFileSync(join(fixtures, file))
    const expected = transcode(make(), [whole])

    it(`${name}: split at every byte boundary`, () => {
      expect(expected.length).toBeGreaterThan(0)
      for (let i = 1; i < whole.length; i++) {
        expect(transcode(make(), [whole.subarray(0, i), whole.subarray(i)])).toBe(expected)
      }
    })

    it(`${name}: any number of splits`, () => {
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 60 }), (cuts) => {
        expect(transcode(make(), splitAt(whole, cuts))).toBe(expected)
      }), { numRuns: 200 })
    })

    it(`${name}: byte by byte`, () => {
      const bytes = [...whole].map(b => Buffer.from([b]))
      expect(transcode(make(), bytes)).toBe(expected)
    })
  }

  it('keeps multi-byte characters whole when a chunk ends inside one', () => {
    const whole = readFileSync(join(fixtures, 'openai-chat/utf8-text.txt'))
    const text = transcode(toAnthropic(), [...whole].map(b => Buffer.from([b])))
    expect(text).not.toContain('\uFFFD')
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '#server/utils/convert/types'
import { toolId } from '#server/utils/convert/openai-to-anthropic/messages'
import type { JsonObject } from '#server/utils/convert/types'
import { ctx, testConverter } from './helpers'

type Message = JsonObject & { role: string }
interface Turn { role: string, content: JsonObject[] }

const blank = (s: string) => s.trim() === ''
const text = fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('', ' ', '\n\t'))
const textContent = fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }), { maxLength: 3 }))
const image = fc.oneof(
  fc.webUrl().map(url => ({ type: 'image_url', image_url: { url } })),
  fc.base64String({ minLength: 4 }).map(data => ({ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } })),
)
const userContent = fc.oneof(text, fc.array(fc.oneof(fc.record({ type: fc.constant('text'), text }), image), { maxLength: 3 }))
const idPrefix = fc.constantFrom('call_', 'toolu_', 'fc+', 'call.', 'id/=')

/** One step of a conversation: a system/user/assistant message, or an assistant tool turn with its results. */
const segment = fc.oneof(
  fc.record({ role: fc.constantFrom('system', 'developer'), content: textContent }).map(m => [m]),
  fc.record({ role: fc.constant('user'), content: userContent }).map(m => [m]),
  fc.record({ role: fc.constant('assistant'), content: fc.oneof(fc.constant(null), textContent) }).map(m => [m]),
  fc.record({
    content: fc.oneof(fc.constant(null), textContent),
    calls: fc.array(fc.record({ prefix: idPrefix, name: fc.constantFrom('get_weather', 'read_file'), args: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), result: textContent }), { minLength: 1, maxLength: 3 }),
  }),
)

/** Conversations with unique tool call ids, every call answered by a tool message right after. */
const conversation = fc.array(segment, { minLength: 1, maxLength: 8 }).map((segments) => {
  let n = 0
  return segments.flatMap((s): Message[] => {
    if (Array.isArray(s)) return s
    const calls = s.calls.map(c => ({ ...c, id: `${c.prefix}${n++}` }))
    return [
      { role: 'assistant', content: s.content, tool_calls: calls.map(c => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) },
      ...calls.map(c => ({ role: 'tool', tool_call_id: c.id, content: c.result })),
    ]
  })
})

const params = fc.record({
  temperature: fc.double({ min: 0, max: 2, noNaN: true }),
  top_p: fc.double({ min: 0, max: 1, noNaN: true }),
  reasoning_effort: fc.constantFrom('none', 'minimal', 'low', 'medium', 'high', 'xhigh'),
  max_completion_tokens: fc.integer({ min: 1, max: 100_000 }),
  stop: fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 4 })),
  tool_choice: fc.constantFrom('auto', 'required', 'none', { type: 'function', function: { name: 'get_weather' } }),
  parallel_tool_calls: fc.boolean(),
  n: fc.constant(1),
  user: fc.string(),
  stream: fc.boolean(),
}, { requiredKeys: [] })

const tools = ['get_weather', 'read_file'].map(name => ({ type: 'function', function: { name, parameters: { type: 'object', properties: {} } } }))

/** Non-blank texts of a Chat content value, in order, with images as `img:` markers. */
function chatTexts(content: unknown): string[] {
  if (typeof content === 'string') return blank(content) ? [] : [content]
  if (!Array.isArray(content)) return []
  return content.flatMap((p: JsonObject) => p.type === 'image_url' ? [`img:${(p.image_url as JsonObject).url}`] : chatTexts(p.text))
}

function anthropicTexts(blocks: JsonObject[]): string[] {
  return blocks.flatMap((b) => {
    if (b.type === 'text') return [b.text as string]
    if (b.type !== 'image') return []
    const source = b.source as JsonObject
    return [`img:${source.type === 'url' ? source.url : `data:${source.media_type};base64,${source.data}`}`]
  })
}

describe('request: properties', () => {
  it('keeps system text, message text and every tool call ↔ result pairing', () => {
    fc.assert(fc.property(conversation, params, (messages, extra) => {
      const chat = messages.filter(m => m.role !== 'system' && m.role !== 'developer')
      const expectedTexts = chat.filter(m => m.role !== 'tool').flatMap(m => chatTexts(m.content))
      const hasCalls = chat.some(m => m.tool_calls)
      let out: JsonObject
      try {
        out = testConverter().request({ model: 'gpt-4o', messages, tools, ...extra }, ctx())
      }
      catch (error) {
        // Only a conversation with nothing to send is refused.
        expect(error).toBeInstanceOf(InvalidRequestError)
        expect(expectedTexts.length === 0 && !hasCalls && !chat.some(m => m.role === 'tool')).toBe(true)
        return
      }
      const system = ((out.system ?? []) as JsonObject[]).map(b => b.text)
      expect(system).toEqual(messages.filter(m => m.role === 'system' || m.role === 'developer').flatMap(m => chatTexts(m.content)))

      const turns = out.messages as Turn[]
      turns.forEach((turn, i) => {
        expect(turn.content.length).toBeGreaterThan(0)
        if (i > 0) expect(turn.role).not.toBe(turns[i - 1]!.role)
        for (const block of turn.content) if (block.type === 'text') expect(blank(block.text as string)).toBe(false)
      })
      expect(turns.flatMap(t => anthropicTexts(t.content))).toEqual(expectedTexts)

      for (const message of chat.filter(m => m.tool_calls)) {
        for (const call of message.tool_calls as { id: string, function: { arguments: string } }[]) {
          const id = toolId(call.id)
          expect(id).toMatch(/^[\w-]+$/)
          const at = turns.findIndex(t => t.role === 'assistant' && t.content.some(b => b.type === 'tool_use' && b.id === id))
          expect(at).toBeGreaterThanOrEqual(0)
          expect(turns[at]!.content.find(b => b.id === id)!.input).toEqual(JSON.parse(call.function.arguments))
          const result = turns[at + 1]!.content.find(b => b.type === 'tool_result' && b.tool_use_id === id)
          const answer = chat.find(m => m.role === 'tool' && m.tool_call_id === call.id)!
          expect(anthropicTexts(typeof result!.content === 'string' ? [{ type: 'text', text: result!.content }] : (result!.content ?? []) as JsonObject[]))
            .toEqual(chatTexts(answer.content))
        }
      }

      const thinking = out.thinking as { budget_tokens: number } | undefined
      if (thinking) {
        expect(out.max_tokens as number).toBeGreaterThan(thinking.budget_tokens)
        expect(out).not.toHaveProperty('temperature')
      }
      if (typeof out.temperature === 'number') expect(out.temperature).toBeLessThanOrEqual(1)
    }), { numRuns: 300 })
  })

  it('never throws anything but InvalidRequestError, whatever JSON arrives', () => {
    const message = fc.record({
      role: fc.oneof(fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool'), fc.jsonValue()),
      content: fc.jsonValue(),
      tool_calls: fc.oneof(fc.jsonValue(), fc.array(fc.record({ id: fc.jsonValue(), type: fc.constant('function'), function: fc.record({ name: fc.string(), arguments: fc.oneof(fc.string(), fc.jsonValue()) }) }))),
      tool_call_id: fc.jsonValue(),
    }, { requiredKeys: ['role'] })
    const body = fc.record({
      messages: fc.oneof(fc.array(message, { maxLength: 5 }), fc.jsonValue()),
      tools: fc.jsonValue(),
      tool_choice: fc.jsonValue(),
      parallel_tool_calls: fc.jsonValue(),
      max_tokens: fc.jsonValue(),
      max_completion_tokens: fc.jsonValue(),
      reasoning_effort: fc.jsonValue(),
      temperature: fc.jsonValue(),
      top_p: fc.jsonValue(),
      stop: fc.jsonValue(),
      user: fc.jsonValue(),
      n: fc.jsonValue(),
    }, { requiredKeys: [] })
    fc.assert(fc.property(body, (input) => {
      try {
        testConverter().request(input as JsonObject, ctx())
      }
      catch (error) {
        expect(error).toBeInstanceOf(InvalidRequestError)
      }
    }), { numRuns: 500 })
  })
})

describe('stream: properties', () => {
  const frameData = (frames: string[]) => frames.filter(f => f !== 'data: [DONE]\n\n').map(f => JSON.parse(f.slice(6)))

  it('reassembles any split of text and tool arguments exactly', () => {
    const pieces = fc.array(fc.string(), { maxLength: 6 })
    fc.assert(fc.property(pieces, fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }), fc.array(fc.nat(), { maxLength: 5 }), (texts, input, cuts) => {
      const json = JSON.stringify(input)
      const points = [...new Set(cuts.map(c => c % (json.length + 1)))].sort((a, b) => a - b)
      const fragments = [0, ...points].map((p, i, all) => json.slice(p, all[i + 1] ?? json.length))
      const ev = (data: object) => ({ data: JSON.stringify(data) })
      const converter = testConverter().stream(ctx())
      const frames = [
        ev({ type: 'message_start', message: { id: 'msg_p', usage: { input_tokens: 1, output_tokens: 1 } } }),
        ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        ...texts.map(t => ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } })),
        ev({ type: 'content_block_stop', index: 0 }),
        ev({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_p', name: 'f', input: {} } }),
        ...fragments.map(f => ev({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: f } })),
        ev({ type: 'content_block_stop', index: 1 }),
        ev({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 3 } }),
        ev({ type: 'message_stop' }),
      ].flatMap(e => converter.push(e))
      const deltas = frameData(frames).map(c => c.choices[0].delta)
      expect(deltas.map(d => d.content ?? '').join('')).toBe(texts.join(''))
      expect(deltas.flatMap(d => d.tool_calls ?? []).map(t => t.function.arguments).join('')).toBe(json)
      expect(frames.at(-1)).toBe('data: [DONE]\n\n')
      expect(converter.finished).toBe(true)
    }))
  })
})

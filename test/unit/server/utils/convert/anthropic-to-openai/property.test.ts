import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assembledBlocks } from '../anthropic-stream'
import { ctx, testConverter } from './helpers'

type Block = Record<string, unknown>

/** Non-empty, non-blank text, as Anthropic requires of text blocks. */
const text = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).filter(s => s.trim().length > 0)
const input = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 3 })

/** One exchange: a user text turn, optionally an assistant tool-call turn and the user's results. */
const exchange = fc.record({
  user: fc.array(text, { minLength: 1, maxLength: 3 }),
  userAsString: fc.boolean(),
  assistantText: fc.array(text, { maxLength: 2 }),
  thinking: fc.option(text, { nil: undefined }),
  calls: fc.array(fc.record({ name: fc.constantFrom('Bash', 'Read', 'Edit', 'mcp__git__log'), input, result: text, isError: fc.boolean(), resultAsBlocks: fc.boolean() }), { maxLength: 3 }),
  followUp: fc.array(text, { maxLength: 2 }),
})

const request = fc.record({
  system: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }).map(ts => ts.map(t => ({ type: 'text', text: t })))),
  exchanges: fc.array(exchange, { minLength: 1, maxLength: 4 }),
  tools: fc.array(fc.record({ name: fc.stringMatching(/^[a-zA-Z][\w-]{0,20}$/), description: text }), { maxLength: 3 }),
})

type GeneratedRequest = typeof request extends fc.Arbitrary<infer T> ? T : never

/** Builds a valid Anthropic request and the texts it carries, in conversation order. */
function build(r: GeneratedRequest) {
  const texts: string[] = typeof r.system === 'string' ? [r.system] : r.system.map(b => b.text)
  const ids: string[] = []
  const messages: Array<{ role: string, content: string | Block[] }> = []
  let n = 0
  for (const x of r.exchanges) {
    messages.push({ role: 'user', content: x.userAsString ? x.user.join('\n') : x.user.map(t => ({ type: 'text', text: t })) })
    texts.push(...x.user)
    const assistant: Block[] = []
    if (x.thinking) assistant.push({ type: 'thinking', thinking: x.thinking, signature: 'sig' })
    assistant.push(...x.assistantText.map(t => ({ type: 'text', text: t })))
    texts.push(...x.assistantText)
    const calls = x.calls.map(c => ({ ...c, id: `toolu_${++n}` }))
    assistant.push(...calls.map(c => ({ type: 'tool_use', id: c.id, name: c.name, input: c.input })))
    if (!assistant.length) continue
    messages.push({ role: 'assistant', content: assistant })
    if (!calls.length) continue
    ids.push(...calls.map(c => c.id))
    const results = calls.map(c => ({
      type: 'tool_result',
      tool_use_id: c.id,
      content: c.resultAsBlocks ? [{ type: 'text', text: c.result }] : c.result,
      ...(c.isError ? { is_error: true } : {}),
    }))
    texts.push(...calls.map(c => c.result), ...x.followUp)
    messages.push({ role: 'user', content: [...results, ...x.followUp.map(t => ({ type: 'text', text: t }))] })
  }
  const tools = r.tools.map(t => ({ name: t.name, description: t.description, input_schema: { type: 'object', properties: { a: { type: 'string' } } } }))
  return { body: { model: 'claude-x', max_tokens: 100, system: r.system, messages, tools }, texts, ids }
}

/** All text an upstream model would read, in message order. */
function outputText(messages: Block[]): string {
  return messages.map((m) => {
    if (typeof m.content === 'string') return m.content
    return Array.isArray(m.content) ? m.content.map(p => (p as Block).text ?? '').join('\n') : ''
  }).join('\n')
}

describe('request conversion properties', () => {
  it('never throws, keeps every text in order and every tool call paired with its result', () => {
    fc.assert(fc.property(request, (r) => {
      const { body, texts, ids } = build(r)
      const out = testConverter().request(body, ctx)
      const messages = out.messages as Block[]
      const all = outputText(messages)
      let from = 0
      for (const t of texts) {
        const at = all.indexOf(t, from)
        expect(at, `missing or out of order: ${JSON.stringify(t)}`).toBeGreaterThanOrEqual(0)
        from = at + t.length
      }
      for (const id of ids) {
        const callAt = messages.findIndex(m => m.role === 'assistant' && (m.tool_calls as Block[] | undefined)?.some(c => c.id === id))
        const resultAt = messages.findIndex(m => m.role === 'tool' && m.tool_call_id === id)
        expect(callAt).toBeGreaterThanOrEqual(0)
        expect(resultAt).toBeGreaterThan(callAt)
        // Only tool messages sit between a call and its result.
        expect(messages.slice(callAt + 1, resultAt).every(m => m.role === 'tool')).toBe(true)
      }
    }), { numRuns: 300 })
  })
})

describe('stream conversion properties', () => {
  /** Cuts a string at the given points (modulo its length) into consecutive fragments. */
  const split = (s: string, cuts: number[]) => {
    const points = [...new Set(cuts.map(c => c % (s.length + 1)))].sort((a, b) => a - b)
    return [0, ...points].map((p, i, all) => s.slice(p, all[i + 1] ?? s.length)).filter(Boolean)
  }

  it('reassembles text and tool arguments however the upstream fragments them', () => {
    fc.assert(fc.property(text, input, input, fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (content, a, b, cuts, interleave) => {
      const argsA = JSON.stringify(a)
      const argsB = JSON.stringify(b)
      const chunk = (delta: Block) => ({ data: JSON.stringify({ choices: [{ index: 0, delta, finish_reason: null }] }) })
      const frags = (index: number, args: string) => split(args, cuts).map(f => chunk({ tool_calls: [{ index, function: { arguments: f } }] }))
      const fa = frags(0, argsA)
      const fb = frags(1, argsB)
      const tools = interleave
        ? fa.flatMap((f, i) => [f, ...(fb[i] ? [fb[i]] : [])]).concat(fb.slice(fa.length))
        : [...fa, ...fb]
      const events = [
        ...split(content, cuts).map(f => chunk({ content: f })),
        chunk({ tool_calls: [{ index: 0, id: 'call_a', function: { name: 'A', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_b', function: { name: 'B', arguments: '' } }] }),
        ...tools,
        { data: JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] }) },
        { data: '[DONE]' },
      ]
      const s = testConverter().stream(ctx)
      const frames = [...s.start(), ...events.flatMap(e => s.push(e)), ...s.end()].join('')
      expect(assembledBlocks(frames)).toEqual([
        { type: 'text', text: content },
        { type: 'tool_use', id: 'call_a', name: 'A', input: a },
        { type: 'tool_use', id: 'call_b', name: 'B', input: b },
      ])
      expect(s.finished).toBe(true)
    }), { numRuns: 300 })
  })
})

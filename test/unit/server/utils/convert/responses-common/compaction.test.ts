import { describe, expect, it } from 'vitest'
import { compactionConverter, keptUserMessages, SUMMARY_PREFIX, SUMMARY_PROMPT, summaryRequest, type SealCompaction } from '#server/utils/convert/responses-common/compaction'
import type { ConversionWarning } from '#server/utils/convert/responses-common/types'
import { createResponsesToAnthropic } from '#server/utils/convert/responses-to-anthropic'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import type { JsonObject } from '#server/utils/convert/types'
import { chatCompletion, chatTextStream } from '../../../../../support/openai-fixtures'
import { CODEX_TOOLS_REQUEST, ctx, frames, runStream, testOptions } from './helpers'

/** A seal that shows what it was given instead of encrypting it. */
const seal: SealCompaction = (items, id) => ({ type: 'compaction', id, encrypted_content: `sealed:${JSON.stringify(items)}` })
const sealedSummary = (item: JsonObject) => JSON.parse(String(item.encrypted_content).slice('sealed:'.length)) as JsonObject[]

const history: JsonObject[] = [
  { type: 'message', role: 'user', content: 'fix the greeting' },
  { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"cat hello.py"}' },
  { type: 'function_call_output', call_id: 'call_1', output: 'print("helo")' },
  { type: 'compaction', id: 'cmp_native', encrypted_content: 'gAAAA-native' },
  { type: 'compaction_trigger' },
]

describe('summaryRequest', () => {
  it('drops the trigger, asks for the summary last, and keeps tools declared but uncallable', () => {
    const out = summaryRequest({ ...CODEX_TOOLS_REQUEST, input: history, tool_choice: 'auto', text: { format: { type: 'json_object' } } })
    const input = out.input as JsonObject[]
    expect(input.map(i => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'compaction', 'message'])
    expect(input.at(-1)).toEqual({ type: 'message', role: 'user', content: [{ type: 'input_text', text: SUMMARY_PROMPT }] })
    expect(out.tool_choice).toBe('none')
    expect(out.text).toBeUndefined()
    expect(summaryRequest({ model: 'm', input: 'hi' }).input).toHaveLength(2)
  })
})

describe('keptUserMessages', () => {
  it('keeps user messages as parts, not other roles, items or replayed summaries', () => {
    expect(keptUserMessages('hi')).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }])
    expect(keptUserMessages([
      { role: 'user', content: [{ type: 'input_text', text: 'a' }] },
      { type: 'message', role: 'developer', content: 'rules' },
      { type: 'message', role: 'assistant', content: 'ok' },
      { type: 'function_call_output', call_id: 'c', output: 'x' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: `${SUMMARY_PREFIX}old summary` }] },
    ])).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }] }])
  })
})

describe('compactionConverter on a Chat channel', () => {
  const make = (form: 'compact' | 'trigger', warnings: ConversionWarning[] = []) => compactionConverter(createResponsesToChat(testOptions(warnings)), form, seal)

  it('sends the conversation and the prompt upstream; another provider\'s compaction item is left out with a warning', () => {
    const warnings: ConversionWarning[] = []
    const body = make('trigger', warnings).request({ model: 'gpt-5-codex', input: history, tools: CODEX_TOOLS_REQUEST.tools }, ctx({ stream: false }))
    const messages = body.messages as JsonObject[]
    expect(messages.at(-1)).toEqual({ role: 'user', content: SUMMARY_PROMPT })
    expect(messages.some(m => m.role === 'tool')).toBe(true)
    expect(body.tool_choice).toBe('none')
    expect(warnings.map(w => w.name)).toEqual(['compaction'])
  })

  it('answers a trigger with one sealed compaction item holding the summary as a user message', () => {
    const converter = make('trigger')
    const context = ctx({ stream: false })
    converter.request({ model: 'gpt-5-codex', input: history }, context)
    const out = converter.response(chatCompletion('Goal: fix the greeting. Next: patch hello.py.'), context)
    expect(out).toMatchObject({ object: 'response', status: 'completed' })
    const output = out.output as JsonObject[]
    expect(output).toHaveLength(1)
    expect(output[0]).toMatchObject({ type: 'compaction', id: expect.stringMatching(/^cmp_/) })
    expect(sealedSummary(output[0]!)).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: `${SUMMARY_PREFIX}Goal: fix the greeting. Next: patch hello.py.` }] }])
  })

  it('answers /responses/compact with a response.compaction object, and fails when the model wrote nothing', () => {
    const converter = make('compact')
    const context = ctx({ stream: false })
    converter.request({ model: 'gpt-5-codex', input: history }, context)
    const out = converter.response(chatCompletion('summary'), context)
    expect(Object.keys(out).sort()).toEqual(['created_at', 'id', 'object', 'output', 'usage'])
    expect(out).toMatchObject({ object: 'response.compaction', output: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix the greeting' }] }, { type: 'compaction' }] })
    const empty = converter.response(chatCompletion(''), context)
    expect(empty).toMatchObject({ output: [], error: { code: 'server_error' } })
  })

  it('streams the opening events, then exactly one compaction item and response.completed, numbered in order', () => {
    const converter = make('trigger')
    const context = ctx()
    converter.request({ model: 'gpt-5-codex', input: history, stream: true }, context)
    const out = frames(runStream(chatTextStream(['Goal: ', 'greeting.']).join(''), converter.stream(context)))
    expect(out.map(([name]) => name)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.output_item.done', 'response.completed'])
    expect(out.map(([, data]) => data.sequence_number)).toEqual([0, 1, 2, 3, 4])
    const done = out[3]![1].item as JsonObject
    expect(sealedSummary(done)[0]).toMatchObject({ content: [{ text: `${SUMMARY_PREFIX}Goal: greeting.` }] })
    expect(out[4]![1]).toMatchObject({ response: { status: 'completed', output: [done], usage: { input_tokens: 30 } } })
  })

  it('passes a failure through', () => {
    const converter = make('trigger')
    const context = ctx()
    converter.request({ model: 'gpt-5-codex', input: history, stream: true }, context)
    const out = frames(runStream('data: {"choices":[{"index":0,"delta":{"content":"Goal"}}]}\n\n', converter.stream(context)))
    expect(out.map(([name]) => name)).toEqual(['response.created', 'response.in_progress', 'response.failed'])
    expect(out[2]![1]).toMatchObject({ sequence_number: 2, response: { status: 'failed' } })
  })
})

describe('compactionConverter on a Claude channel', () => {
  it('asks for the summary last and seals the answer', () => {
    const converter = compactionConverter(createResponsesToAnthropic(testOptions()), 'trigger', seal)
    const context = ctx({ stream: false })
    const body = converter.request({ model: 'gpt-5-codex', input: history, instructions: 'be careful' }, context)
    const messages = body.messages as { role: string, content: unknown }[]
    expect(JSON.stringify(messages.at(-1))).toContain('Context checkpoint')
    const out = converter.response({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [{ type: 'text', text: 'the summary' }], stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 3 } }, context)
    expect((out.output as JsonObject[]).map(i => i.type)).toEqual(['compaction'])
  })
})

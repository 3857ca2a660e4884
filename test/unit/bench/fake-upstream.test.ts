import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { AGENT_HEADERS, claudeCodeRequest, codexRequest, filler } from '../../../bench/agent-requests.mjs'
import { createFakeUpstream } from '../../../bench/fake-upstream.mjs'

let server: Server | undefined
afterEach(() => new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve())))

async function start(answers: string) {
  server = createFakeUpstream(answers)
  await new Promise<void>(resolve => server!.listen(0, '127.0.0.1', resolve))
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    anthropic: new Anthropic({ baseURL, apiKey: 'sk-ant-bench-test', maxRetries: 0 }),
    openai: new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: 'sk-bench-test', maxRetries: 0 }),
  }
}

/** The SDK's stream helper adds what it parsed (`parsed`, `parsed_arguments`): not part of the wire answer. */
const withoutParsed = (value: unknown) => JSON.parse(JSON.stringify(value, (key, v) => (key.startsWith('parsed') ? undefined : v)))

// The bench's answers are only worth measuring if real clients read them as the providers' own:
// each stream, assembled by the official SDK, must equal the JSON answer of the same content.
describe.each(['minimal', 'agent'])('the fake upstream\'s %s answers', (answers) => {
  it('stream and JSON agree on /v1/messages, as the Anthropic SDK reads them', async () => {
    const { anthropic } = await start(answers)
    const request = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] }
    const json = await anthropic.messages.create(request)
    const streamed = await anthropic.messages.stream(request).finalMessage()
    expect(streamed.content).toEqual(json.content)
    expect(streamed.usage).toMatchObject(json.usage)
    expect(streamed.stop_reason).toBe(json.stop_reason)
    expect(json.content.find(b => b.type === 'text')?.text).toMatch(/^Hello!/)
    if (answers === 'agent') {
      expect(json.content.map(b => b.type)).toEqual(['thinking', 'text', 'tool_use'])
      expect(json.content[2]).toMatchObject({ name: 'Bash', input: { command: expect.stringContaining('npm test') } })
      expect(json.stop_reason).toBe('tool_use')
      expect(json.usage.cache_creation_input_tokens).toBeGreaterThan(20_000)
      expect(json.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 21_870, ephemeral_1h_input_tokens: 0 })
    }
  })

  it('stream and JSON agree on /v1/chat/completions, as the OpenAI SDK reads them', async () => {
    const { openai } = await start(answers)
    const request = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'hi' }] }
    const json = await openai.chat.completions.create(request)
    const streamed = await openai.chat.completions.stream({ ...request, stream_options: { include_usage: true } }).finalChatCompletion()
    expect(streamed.choices[0]!.message.content).toBe(json.choices[0]!.message.content)
    expect(streamed.choices[0]!.message.tool_calls ?? []).toEqual(json.choices[0]!.message.tool_calls ?? [])
    expect(streamed.choices[0]!.finish_reason).toBe(json.choices[0]!.finish_reason)
    expect(streamed.usage).toEqual(json.usage)
    if (answers === 'agent') expect(JSON.parse(json.choices[0]!.message.tool_calls![0]!.type === 'function' ? json.choices[0]!.message.tool_calls![0]!.function.arguments : '')).toMatchObject({ description: 'Run the failing test' })
  })

  it('stream and JSON agree on /v1/responses, as the OpenAI SDK reads them', async () => {
    const { openai } = await start(answers)
    const request = { model: 'gpt-4.1', input: 'hi' }
    const json = await openai.responses.create(request)
    const streamed = await openai.responses.stream(request).finalResponse()
    expect(withoutParsed(streamed.output)).toEqual(json.output)
    expect(streamed.usage).toEqual(json.usage)
    expect(json.output_text).toMatch(/^Hello!/)
    if (answers === 'agent') {
      expect(json.output.map(item => item.type)).toEqual(['reasoning', 'message', 'function_call'])
      expect(json.usage?.output_tokens_details.reasoning_tokens).toBe(160)
    }
  })
})

describe('the agent requests', () => {
  // The sizes the real clients sent (2026-12-03); the filler's escapes make them approximate.
  it.each([
    ['Claude Code', claudeCodeRequest, 87_368, 12],
    ['Codex', codexRequest, 40_406, 9],
  ] as const)('are shaped like %s\'s first turn, within 2%% of its size, the same bytes every time', (_, make, bytes, tools) => {
    const text = JSON.stringify(make())
    expect(Math.abs(text.length - bytes) / bytes).toBeLessThan(0.02)
    expect(JSON.stringify(make())).toBe(text)
    expect(make().tools.length).toBe(tools)
  })

  it('carry what the request log reads: Claude Code\'s session in metadata.user_id, Codex\'s in its header', () => {
    expect(JSON.parse(claudeCodeRequest().metadata.user_id)).toMatchObject({ session_id: expect.any(String) })
    expect(AGENT_HEADERS.responses['session-id']).toBe(codexRequest().prompt_cache_key)
  })

  it('fill text to the exact length, the same for a seed', () => {
    expect(filler(1000, 5)).toHaveLength(1000)
    expect(filler(1000, 5)).toBe(filler(1000, 5))
    expect(filler(1000, 5)).not.toBe(filler(1000, 6))
  })
})

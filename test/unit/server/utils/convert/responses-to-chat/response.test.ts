import { describe, expect, it } from 'vitest'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import type { JsonObject } from '#server/utils/convert/types'
import { CODEX_TOOLS_REQUEST, CREATED, ctx, testOptions } from '../responses-common/helpers'

function convert(body: JsonObject) {
  const converter = createResponsesToChat(testOptions())
  const context = ctx({ stream: false })
  converter.request({ ...CODEX_TOOLS_REQUEST, stream: false }, context)
  return { out: converter.response(body, context), usage: converter.usage(body) }
}

const completion = (message: JsonObject, finish: string, usage?: JsonObject): JsonObject => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'deepseek-v4',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
  ...(usage ? { usage } : {}),
})

describe('Chat completion → Responses response object', () => {
  it('turns reasoning, text, a function call and a custom tool call into output items', () => {
    const body = completion({
      content: 'Patching now.',
      reasoning_content: 'Need to edit the file.',
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } },
        { id: 'call_b', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' } },
      ],
    }, 'tool_calls', { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1000 }, completion_tokens_details: { reasoning_tokens: 30 } })
    const { out, usage } = convert(body)
    expect(out).toEqual({
      id: 'resp_5',
      object: 'response',
      created_at: CREATED,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-5-codex',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Need to edit the file.' }] },
        { id: 'msg_2', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Patching now.', annotations: [], logprobs: [] }] },
        { id: 'fc_3', type: 'function_call', status: 'completed', call_id: 'call_a', name: 'exec_command', arguments: '{"cmd":"ls"}' },
        { id: 'ctc_4', type: 'custom_tool_call', status: 'completed', call_id: 'call_b', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      ],
      usage: { input_tokens: 1200, input_tokens_details: { cached_tokens: 1000 }, output_tokens: 80, output_tokens_details: { reasoning_tokens: 30 }, total_tokens: 1280 },
    })
    expect(usage).toEqual({ inputTokens: 200, outputTokens: 80, cacheReadInputTokens: 1000, cacheCreationInputTokens: 0, reasoningTokens: 30, estimated: false })
  })

  it('is incomplete with max_output_tokens after a length stop', () => {
    const { out } = convert(completion({ content: 'cut' }, 'length', { prompt_tokens: 5, completion_tokens: 3 }))
    expect(out).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'message', status: 'incomplete' }] })
  })

  it('estimates usage when the upstream reported none', () => {
    const { out, usage } = convert(completion({ content: 'fourteen chars' }, 'stop'))
    expect(usage).toMatchObject({ estimated: true, outputTokens: 4 })
    expect(out.usage).toMatchObject({ output_tokens: 4, total_tokens: 4 })
  })
})

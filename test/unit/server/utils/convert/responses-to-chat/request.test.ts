import { describe, expect, it } from 'vitest'
import { createResponsesToChat } from '#server/utils/convert/responses-to-chat'
import type { ConversionWarning } from '#server/utils/convert/responses-common/types'
import { InvalidRequestError } from '#server/utils/convert/types'
import type { JsonObject } from '#server/utils/convert/types'
import { ctx, fixture, testOptions } from '../responses-common/helpers'

const codexRequest = (): JsonObject => JSON.parse(fixture('responses/codex-request.json'))

function convert(body: JsonObject, options: Parameters<typeof createResponsesToChat>[0] = {}) {
  const warnings: ConversionWarning[] = []
  const out = createResponsesToChat({ ...testOptions(warnings), ...options }).request(body, ctx())
  return { out, warnings }
}

describe('Responses request → Chat request', () => {
  it('converts a realistic Codex request (golden)', () => {
    const { out, warnings } = convert(codexRequest())
    expect(out).toEqual(JSON.parse(fixture('responses-chat/request-codex.expected.json')))
    expect(JSON.stringify(out)).not.toContain('gAAAA')
    expect(warnings.map(w => `${w.kind}:${w.name}`)).toEqual(['input_item:web_search_call', 'tool:web_search'])
  })

  it('takes a plain string input as one user message', () => {
    const { out } = convert({ model: 'm', input: 'hello', max_output_tokens: 100, temperature: 0.2, top_p: 0.9 }, {})
    expect(out).toEqual({ model: 'upstream-model', messages: [{ role: 'user', content: 'hello' }], max_tokens: 100, temperature: 0.2, top_p: 0.9, stream: true, stream_options: { include_usage: true } })
  })

  it('maps text.format to response_format and passes user, metadata and service_tier', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    const { out } = convert({ input: 'x', text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } }, user: 'u1', metadata: { k: 'v' }, service_tier: 'flex', reasoning: { effort: 'xhigh' } })
    expect(out).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } }, user: 'u1', metadata: { k: 'v' }, service_tier: 'flex', reasoning_effort: 'high' })
  })

  it('maps a forced custom tool and parallel_tool_calls', () => {
    const { out } = convert({ input: 'x', tools: [{ type: 'custom', name: 'apply_patch' }], tool_choice: { type: 'custom', name: 'apply_patch' }, parallel_tool_calls: false })
    expect(out).toMatchObject({ tool_choice: { type: 'function', function: { name: 'apply_patch' } }, parallel_tool_calls: false })
  })

  it('falls back to auto for a tool_choice naming a dropped built-in, with a warning', () => {
    const { out, warnings } = convert({ input: 'x', tools: [{ type: 'function', name: 'f' }, { type: 'local_shell' }], tool_choice: { type: 'web_search' } })
    expect(out.tool_choice).toBe('auto')
    expect(warnings.map(w => w.name)).toEqual(['local_shell', 'tool_choice'])
  })

  it('moves tool-output images into the next user message', () => {
    const { out } = convert({ input: [
      { type: 'function_call', call_id: 'c1', name: 'view_image', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'here' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
    ] })
    expect(out.messages).toEqual([
      { role: 'assistant', content: null, reasoning_content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'view_image', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'here\n\n[images or files from this tool output follow in the next user message]' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
    ])
  })

  it('replaces compaction items through the hook, and drops them with a warning without one', () => {
    const input = [{ type: 'compaction', encrypted_content: 'sealed' }, { role: 'user', content: 'go on' }]
    const hooked = convert({ input }, { compaction: () => [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Summary: did X.' }] }] })
    expect(hooked.out.messages).toEqual([{ role: 'user', content: 'Summary: did X.' }, { role: 'user', content: 'go on' }])
    expect(hooked.warnings).toEqual([])
    const dropped = convert({ input })
    expect(dropped.out.messages).toEqual([{ role: 'user', content: 'go on' }])
    expect(dropped.warnings.map(w => w.name)).toEqual(['compaction'])
  })

  it('leaves reasoning_content out when replay is off', () => {
    const { out } = convert(codexRequest(), { replayReasoning: false })
    expect(JSON.stringify(out)).not.toContain('reasoning_content')
  })

  it('refuses previous_response_id with a 400 naming the parameter', () => {
    expect(() => convert({ input: 'x', previous_response_id: 'resp_1' })).toThrow(InvalidRequestError)
    try {
      convert({ input: 'x', previous_response_id: 'resp_1' })
    }
    catch (error) {
      expect(error).toMatchObject({ status: 400, param: 'previous_response_id' })
    }
  })
})

import { describe, expect, it } from 'vitest'
import { dropUnsignedThinking } from '#server/utils/proxy/unsigned-thinking'

const body = (thinking: Record<string, unknown>) => ({
  model: 'claude-x',
  max_tokens: 10,
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: [thinking, { type: 'text', text: 'hello' }] },
    { role: 'user', content: [{ type: 'text', text: 'again', signature: '' }] },
  ],
})

describe('dropUnsignedThinking', () => {
  it('leaves a request with signed thinking untouched (no rewrite at all)', () => {
    const json = body({ type: 'thinking', thinking: 'hm', signature: 'EqQB' })
    expect(dropUnsignedThinking(json, 'claude-x')).toBeUndefined()
  })

  it('drops thinking that a converted channel produced, keeping everything else and the mapped model', () => {
    const json = body({ type: 'thinking', thinking: 'hm', signature: '' })
    const out = JSON.parse(dropUnsignedThinking(json, 'claude-mapped')!)
    expect(out.model).toBe('claude-mapped')
    expect(out.messages[1].content).toEqual([{ type: 'text', text: 'hello' }])
    expect(out.messages[0]).toEqual(json.messages[0])
    expect(out.messages[2]).toEqual(json.messages[2])
  })

  it('drops reasoning a responses channel carried in a signature, which Anthropic cannot verify', () => {
    const json = body({ type: 'thinking', thinking: 'hm', signature: 'ccbridge.responses.v1:rs_1:gAAAA' })
    expect(JSON.parse(dropUnsignedThinking(json, 'claude-x')!).messages[1].content).toEqual([{ type: 'text', text: 'hello' }])
  })
})

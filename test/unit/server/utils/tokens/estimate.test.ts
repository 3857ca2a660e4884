import { describe, expect, it } from 'vitest'
import { estimateInputTokens } from '#server/utils/tokens/estimate'

describe('estimateInputTokens', () => {
  it('grows with the text of system, messages and tools', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'hello' }] }
    const small = estimateInputTokens(base)
    const withSystem = estimateInputTokens({ ...base, system: [{ type: 'text', text: 'x'.repeat(350) }] })
    expect(withSystem - small).toBe(100)
    const withTool = estimateInputTokens({ ...base, tools: [{ name: 'Bash', description: 'run', input_schema: { type: 'object' } }] })
    expect(withTool).toBeGreaterThan(small + 8)
  })
  it('counts tool calls, tool results and images', () => {
    const t = estimateInputTokens({
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Read', input: { path: '/a/b' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'y'.repeat(700) }] }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
      ],
    })
    expect(t).toBeGreaterThan(200 + 1600)
    expect(t).toBeLessThan(250 + 1600)
  })
  it('never answers zero and ignores junk shapes', () => {
    expect(estimateInputTokens({})).toBe(1)
    expect(estimateInputTokens({ messages: 'nope', tools: 3 } as never)).toBe(1)
  })
})

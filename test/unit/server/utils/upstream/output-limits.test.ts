import { describe, expect, it } from 'vitest'
import { OutputLimits, parseOutputLimit } from '#server/utils/upstream/output-limits'

describe('parseOutputLimit', () => {
  it.each([
    ['{"error":{"message":"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]","type":"invalid_request_error"}}', 8192],
    ['{"error":{"message":"max_tokens is too large: 32000. This model supports at most 16384 completion tokens, whereas you provided 32000.","type":"invalid_request_error","param":"max_tokens","code":"invalid_value"}}', 16384],
    ['{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-opus-4-20250514"}}', 32000],
    ['{"error":{"message":"max_tokens must be less than or equal to 4096"}}', 4096],
  ])('reads the limit from %s', (body, limit) => {
    expect(parseOutputLimit(body)).toBe(limit)
  })

  it('ignores 400s about other things', () => {
    expect(parseOutputLimit('{"error":{"message":"prompt is too long: 300000 tokens > 200000 maximum"}}')).toBeUndefined()
    expect(parseOutputLimit('{"error":{"message":"temperature must be at most 2"}}')).toBeUndefined()
    expect(parseOutputLimit('not json at all')).toBeUndefined()
  })
})

describe('OutputLimits', () => {
  it('learns per channel and model, only when the request was over the limit', () => {
    const limits = new OutputLimits()
    const body = 'the valid range of max_tokens is [1, 8192]'
    expect(limits.learn('chanA', 'deepseek-chat', body, 4096)).toBe(false)
    expect(limits.get('chanA', 'deepseek-chat')).toBeUndefined()
    expect(limits.learn('chanA', 'deepseek-chat', body, 32000)).toBe(true)
    expect(limits.get('chanA', 'deepseek-chat')).toBe(8192)
    expect(limits.get('chanA', 'deepseek-reasoner')).toBeUndefined()
    expect(limits.get('chanB', 'deepseek-chat')).toBeUndefined()
  })
})

import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { parseUpstreamError, transportStatus } from '#server/utils/scheduler/error-classify'
import { DEFAULT_FAILOVER_RULES, defaultFailoverConfig, effectiveFailover, matchRule, NormalizedFailoverConfigSchema, RuleCounters } from '#server/utils/scheduler/failover-rules'

const gemini = (reason?: string) => JSON.stringify({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', details: reason ? [{ reason }] : [] } })

describe('error subtype parsing', () => {
  it('QUOTA_EXHAUSTED is checked before RESOURCE_EXHAUSTED', () => {
    expect(parseUpstreamError(429, gemini('QUOTA_EXHAUSTED')).subtype).toBe('QUOTA_EXHAUSTED')
    expect(parseUpstreamError(429, gemini())).toMatchObject({ subtype: 'RESOURCE_EXHAUSTED', waitSeconds: 20 })
    expect(parseUpstreamError(429, gemini(), { genericResourceWaitSeconds: 7 }).waitSeconds).toBe(7)
  })

  it('model_cooldown waits reset_seconds + extra, capped; 2 s without reset_seconds', () => {
    const body = (reset?: number) => JSON.stringify({ error: { code: 'model_cooldown', reset_seconds: reset } })
    expect(parseUpstreamError(429, body(3.2))).toMatchObject({ subtype: 'model_cooldown', waitSeconds: 5 })
    expect(parseUpstreamError(429, body(500)).waitSeconds).toBe(60)
    expect(parseUpstreamError(429, body(10), { modelCooldownExtraSeconds: 0, modelCooldownMaxWaitSeconds: 8 }).waitSeconds).toBe(8)
    expect(parseUpstreamError(429, body()).waitSeconds).toBe(2)
    // A bare error object (no `error` wrapper) is read too.
    expect(parseUpstreamError(429, '{"code":"model_cooldown"}').subtype).toBe('model_cooldown')
  })

  it('403 CREDIT_EXHAUSTED from the message; plain text bodies do not throw', () => {
    expect(parseUpstreamError(403, '{"error":{"message":"Insufficient quota"}}').subtype).toBe('CREDIT_EXHAUSTED')
    expect(parseUpstreamError(403, 'quota is not enough').subtype).toBe('CREDIT_EXHAUSTED')
    expect(parseUpstreamError(403, '{"error":{"message":"forbidden"}}')).toEqual({ waitSeconds: 0, quotaExhausted: false })
    expect(parseUpstreamError(500, '<html>oops</html>').subtype).toBeUndefined()
  })

  it('transport errors stand for 504 (timeouts) or 502', () => {
    expect(transportStatus('UND_ERR_HEADERS_TIMEOUT', '')).toBe(504)
    expect(transportStatus('ETIMEDOUT', '')).toBe(504)
    expect(transportStatus('ECONNREFUSED', '')).toBe(502)
    expect(transportStatus(undefined, 'socket hang up')).toBe(502)
  })
})

describe('rule matching', () => {
  const rules = [
    { errorCodes: 'others', actionChain: [{ action: 'none' as const }] },
    { errorCodes: '429', actionChain: [{ action: 'failover' as const }] },
    { errorCodes: '429:model_cooldown', actionChain: [{ action: 'retry' as const }] },
    { errorCodes: '500, 502', actionChain: [{ action: 'failover' as const }] },
  ]

  it('exact status:subtype first, then the plain status, then others', () => {
    expect(matchRule(rules, 429, 'model_cooldown')).toMatchObject({ phase: 1, rule: rules[2] })
    expect(matchRule(rules, 429, 'RESOURCE_EXHAUSTED')).toMatchObject({ phase: 2, rule: rules[1] })
    expect(matchRule(rules, 502)).toMatchObject({ phase: 2, rule: rules[3] })
    expect(matchRule(rules, 418)).toMatchObject({ phase: 3, rule: rules[0] })
    expect(matchRule(DEFAULT_FAILOVER_RULES, 418)).toBeUndefined()
  })

  it('the defaults cover 529 and 408 next to the 5xx, but no client 4xx', () => {
    for (const status of [408, 500, 502, 503, 504, 529]) expect(matchRule(DEFAULT_FAILOVER_RULES, status)?.rule.errorCodes).toBe('408,500,502,503,504,529')
    for (const status of [400, 404, 413, 422]) expect(matchRule(DEFAULT_FAILOVER_RULES, status)).toBeUndefined()
  })
})

describe('action chain counters', () => {
  const rule = { errorCodes: '429', actionChain: [{ action: 'retry' as const, waitSeconds: 5, maxAttempts: 2 }, { action: 'failover' as const }] }

  it('walks retry × maxAttempts, then fails over and starts again', () => {
    const c = new RuleCounters()
    expect([1, 2, 3, 4].map(() => c.step('a', 'k', rule).action)).toEqual(['retry', 'retry', 'failover', 'retry'])
  })

  it('counts per channel id + key, and a 2xx resets the pair', () => {
    const c = new RuleCounters()
    c.step('a', 'k', rule)
    c.step('a', 'k', rule)
    expect(c.step('b', 'k', rule).action).toBe('retry')
    c.clearPair('a', 'k')
    expect(c.step('a', 'k', rule).action).toBe('retry')
  })

  it('a chain of retries only fails over once they are used up', () => {
    const c = new RuleCounters()
    const retries = { errorCodes: '500', actionChain: [{ action: 'retry' as const, maxAttempts: 1 }] }
    expect([1, 2].map(() => c.step('a', 'k', retries).action)).toEqual(['retry', 'failover'])
  })
})

describe('NormalizedFailoverConfigSchema', () => {
  it('migrates legacy rule formats to action chains', () => {
    const config = NormalizedFailoverConfigSchema.parse({
      enabled: true,
      rules: [
        { errorCodes: '401', action: 'failover_immediate' },
        { errorCodes: '429', action: 'failover_threshold', threshold: 3 },
        { errorCodes: '503', action: 'retry_wait', waitSeconds: 10 },
        { errorCodes: '429:QUOTA_EXHAUSTED', action: 'suspend_channel' },
      ],
    })
    expect(config.rules.map(r => r.actionChain.map(s => s.action))).toEqual([['failover'], ['retry', 'failover'], ['retry', 'failover'], ['suspend']])
    expect(config.rules[1]!.actionChain[0]).toMatchObject({ waitSeconds: 0, maxAttempts: 2 })
    expect(config.rules[2]!.actionChain[0]).toMatchObject({ waitSeconds: 10 })
    expect(config.enabled).toBe(true)
  })

  it('rewrites a failover in an `others` rule to none', () => {
    const config = NormalizedFailoverConfigSchema.parse({ rules: [{ errorCodes: 'others', actionChain: [{ action: 'retry', maxAttempts: 1 }, { action: 'failover' }] }] })
    expect(config.rules[0]!.actionChain.map(s => s.action)).toEqual(['retry', 'none'])
  })

  it.each([
    [{ rules: [{ errorCodes: '', actionChain: [{ action: 'failover' }] }] }],
    [{ rules: [{ errorCodes: '429' }] }],
    [{ rules: [{ errorCodes: '429', actionChain: [] }] }],
    [{ rules: [{ errorCodes: '429', actionChain: [{ action: 'explode' }] }] }],
    [{ rules: [{ errorCodes: 'abc', actionChain: [{ action: 'failover' }] }] }],
  ])('rejects invalid configs: %j', (input) => {
    expect(() => NormalizedFailoverConfigSchema.parse(input)).toThrow(ZodError)
  })

  it('keeps unknown settings and defaults enabled to false', () => {
    const config = NormalizedFailoverConfigSchema.parse({ rules: [], genericResourceWaitSeconds: 9 })
    expect(config).toEqual({ enabled: false, rules: [], genericResourceWaitSeconds: 9 })
  })

  it('the reset config is the defaults, and an empty or invalid rule list means the defaults', () => {
    expect(defaultFailoverConfig()).toEqual({ enabled: false, rules: [...DEFAULT_FAILOVER_RULES] })
    expect(effectiveFailover({ enabled: true, rules: [] })).toMatchObject({ enabled: true, rules: DEFAULT_FAILOVER_RULES })
    expect(effectiveFailover(undefined).rules).toEqual(DEFAULT_FAILOVER_RULES)
    expect(effectiveFailover({ enabled: false, rules: [{ errorCodes: '!!' }] }).rules).toEqual(DEFAULT_FAILOVER_RULES)
  })
})

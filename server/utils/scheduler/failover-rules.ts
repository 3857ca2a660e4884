import { z } from 'zod'
import type { FailoverConfig, FailoverActionSchema } from '#shared/schemas/config'
import { FailoverConfigSchema } from '#shared/schemas/config'
import type { WaitSettings } from './error-classify'
import { retainSlots, slot } from './slots'

export type FailoverAction = z.infer<typeof FailoverActionSchema>
/** A rule after normalisation: legacy forms migrated, the action chain always present. */
export interface FailoverRule {
  errorCodes: string
  actionChain: FailoverAction[]
}
/** A failover config after normalisation; unknown fields of config.json survive untouched. */
export interface NormalizedFailoverConfig extends WaitSettings {
  enabled: boolean
  rules: FailoverRule[]
}

/**
 * The Go cc-bridge's default rules, plus 408 and 529 (Anthropic "overloaded") next to the 5xx,
 * which the Go cc-bridge returned to the client. The waits only apply to the last candidate
 * standing: while another key or channel is left, the router moves on at once. `waitSeconds: 0`
 * means "the wait the error body asks for".
 */
export const DEFAULT_FAILOVER_RULES: readonly FailoverRule[] = Object.freeze([
  { errorCodes: '429:QUOTA_EXHAUSTED', actionChain: [{ action: 'suspend' }] },
  { errorCodes: '403:CREDIT_EXHAUSTED', actionChain: [{ action: 'suspend' }] },
  { errorCodes: '429:model_cooldown', actionChain: [{ action: 'retry', waitSeconds: 0, maxAttempts: 99 }, { action: 'failover' }] },
  { errorCodes: '429:RESOURCE_EXHAUSTED', actionChain: [{ action: 'retry', waitSeconds: 0, maxAttempts: 99 }, { action: 'failover' }] },
  { errorCodes: '429', actionChain: [{ action: 'retry', waitSeconds: 5, maxAttempts: 3 }, { action: 'failover' }] },
  { errorCodes: '401,403', actionChain: [{ action: 'failover' }] },
  { errorCodes: '408,500,502,503,504,529', actionChain: [{ action: 'retry', waitSeconds: 5, maxAttempts: 2 }, { action: 'failover' }] },
] satisfies FailoverRule[])

/** What `POST /api/config/failover/reset` stores. */
export function defaultFailoverConfig(): NormalizedFailoverConfig {
  return { enabled: false, rules: structuredClone([...DEFAULT_FAILOVER_RULES]) }
}

const CODE_TOKEN = /^(?:others|\d{3}(?::\w+)?)$/i
const codes = (errorCodes: string) => errorCodes.split(',').map(c => c.trim()).filter(Boolean)

/** The single-action rule formats of older Go cc-bridge configs. */
const LegacyRuleSchema = z.object({
  action: z.enum(['failover_immediate', 'failover_threshold', 'retry_wait', 'suspend_channel']),
  threshold: z.number().int().positive().optional(),
  waitSeconds: z.number().int().nonnegative().optional(),
  maxAttempts: z.number().int().positive().optional(),
})

function legacyChain(rule: z.infer<typeof LegacyRuleSchema>): FailoverAction[] {
  switch (rule.action) {
    case 'failover_immediate': return [{ action: 'failover' }]
    case 'suspend_channel': return [{ action: 'suspend' }]
    // "Fail over after N occurrences": the first N-1 are retried at once.
    case 'failover_threshold': return (rule.threshold ?? 1) > 1
      ? [{ action: 'retry', waitSeconds: 0, maxAttempts: rule.threshold! - 1 }, { action: 'failover' }]
      : [{ action: 'failover' }]
    case 'retry_wait': return [{ action: 'retry', waitSeconds: rule.waitSeconds ?? 5, maxAttempts: rule.maxAttempts ?? 99 }, { action: 'failover' }]
  }
}

/**
 * Validates a failover config (the body of `PUT /api/config/failover`, or config.json's `failover`)
 * and normalises it: legacy rules become action chains, and an `others` rule that fails over is
 * turned into `none`, as the Go cc-bridge does, because a catch-all failover would also spray the
 * client's own bad requests over every channel.
 */
export const NormalizedFailoverConfigSchema = FailoverConfigSchema.transform((config, ctx): NormalizedFailoverConfig => {
  const rules = config.rules.map((rule, i): FailoverRule => {
    const bad = codes(rule.errorCodes).filter(c => !CODE_TOKEN.test(c))
    if (bad.length) ctx.addIssue({ code: 'custom', path: ['rules', i, 'errorCodes'], message: `unknown error code ${bad.join(', ')}` })
    let chain = rule.actionChain
    if (!chain) {
      const legacy = LegacyRuleSchema.safeParse(rule)
      if (legacy.success) chain = legacyChain(legacy.data)
      else ctx.addIssue({ code: 'custom', path: ['rules', i, 'actionChain'], message: 'actionChain is required' })
    }
    const actionChain = (chain ?? []).map(({ action, waitSeconds, maxAttempts }) => ({ action, waitSeconds, maxAttempts }))
    if (codes(rule.errorCodes).some(c => c.toLowerCase() === 'others')) {
      for (const step of actionChain) if (step.action === 'failover') step.action = 'none'
    }
    return { errorCodes: rule.errorCodes, actionChain }
  })
  return { ...config, rules }
})

const normalized = new WeakMap<object, NormalizedFailoverConfig>()

let unsetDefault: NormalizedFailoverConfig | undefined

/**
 * The config the router applies: normalised once per config object (hot reload swaps the
 * object), with the default rules when the list is empty or the stored config is invalid.
 */
export function effectiveFailover(config: FailoverConfig | undefined): NormalizedFailoverConfig {
  // No failover block at all (most configs): one shared default, not a fresh deep copy per request.
  if (!config) return (unsetDefault ??= defaultFailoverConfig())
  let result = normalized.get(config)
  if (!result) {
    const parsed = NormalizedFailoverConfigSchema.safeParse(config)
    result = parsed.success ? parsed.data : { ...defaultFailoverConfig(), enabled: config.enabled }
    if (result.rules.length === 0) result = { ...result, rules: defaultFailoverConfig().rules }
    normalized.set(config, result)
  }
  return result
}

/** How a rule was found: phase 1 `status:subtype`, phase 2 plain status, phase 3 `others`. */
export interface RuleMatch {
  rule: FailoverRule
  phase: 1 | 2 | 3
}

/** Finds the rule for an error; within a phase the first rule in list order wins. */
export function matchRule(rules: readonly FailoverRule[], status: number, subtype?: string): RuleMatch | undefined {
  const wanted: [string | undefined, 1 | 2 | 3][] = [[subtype && `${status}:${subtype}`.toLowerCase(), 1], [String(status), 2], ['others', 3]]
  for (const [token, phase] of wanted) {
    if (!token) continue
    const rule = rules.find(r => codes(r.errorCodes).some(c => c.toLowerCase() === token))
    if (rule) return { rule, phase }
  }
  return undefined
}

/**
 * Action-chain counters per (channel id + key, rule). Each occurrence moves one step along the
 * chain; a `retry` step covers its next `maxAttempts` occurrences.
 */
export class RuleCounters {
  private counts = new Map<string, Map<string, number>>()

  /** Counts one occurrence and returns the step it lands on. */
  step(channelId: string, key: string, rule: FailoverRule): FailoverAction {
    let groups = this.counts.get(slot(channelId, key))
    if (!groups) this.counts.set(slot(channelId, key), groups = new Map())
    const n = (groups.get(rule.errorCodes) ?? 0) + 1
    groups.set(rule.errorCodes, n)
    let covered = 0
    for (const step of rule.actionChain) {
      if (step.action === 'retry') {
        covered += step.maxAttempts ?? 1
        if (n <= covered) return step
        continue
      }
      groups.delete(rule.errorCodes)
      return step
    }
    // A chain of retries only: once they are used up, move on.
    groups.delete(rule.errorCodes)
    return { action: 'failover' }
  }

  /** Restarts one chain, e.g. when the router moves on instead of retrying. */
  reset(channelId: string, key: string, rule: FailoverRule): void {
    this.counts.get(slot(channelId, key))?.delete(rule.errorCodes)
  }

  /** A 2xx on the pair resets all of its chains. */
  clearPair(channelId: string, key: string): void {
    this.counts.delete(slot(channelId, key))
  }

  /** Keeps only the channels for which `keep` returns true. */
  retain(keep: (channelId: string) => boolean): void {
    retainSlots([this.counts], keep)
  }
}

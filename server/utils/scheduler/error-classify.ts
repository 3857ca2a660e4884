import { readUpstreamError } from '#server/utils/http/upstream-error'

/** Statuses that mean the client's request is wrong: retrying elsewhere cannot help. */
export const CLIENT_ERROR_STATUSES: ReadonlySet<number> = new Set([400, 404, 413, 422])

/** Wait knobs of the failover config that subtype parsing uses (the Go cc-bridge's defaults). */
export interface WaitSettings {
  genericResourceWaitSeconds?: number
  modelCooldownExtraSeconds?: number
  modelCooldownMaxWaitSeconds?: number
}

/** What the error body says, beyond its status. */
export interface ParsedError {
  /** `QUOTA_EXHAUSTED`, `model_cooldown`, `RESOURCE_EXHAUSTED` or `CREDIT_EXHAUSTED`. */
  subtype?: string
  /** The wait the body asks for; a `retry` step with `waitSeconds: 0` uses it. */
  waitSeconds: number
  /** The key's quota or balance is gone: rotation must skip it until reset by hand. */
  quotaExhausted: boolean
}

type ErrorObject = Record<string, unknown>

const isObject = (v: unknown): v is ErrorObject => typeof v === 'object' && v !== null && !Array.isArray(v)

function subtypeOf(status: number, err: ErrorObject, message: string, settings: WaitSettings): { subtype?: string, waitSeconds: number } {
  if (status === 429) {
    const exhausted = err.status === 'RESOURCE_EXHAUSTED'
    const details = Array.isArray(err.details) ? err.details : []
    if (exhausted && details.some(d => isObject(d) && d.reason === 'QUOTA_EXHAUSTED')) return { subtype: 'QUOTA_EXHAUSTED', waitSeconds: 0 }
    if (err.code === 'model_cooldown') {
      const reset = Number(err.reset_seconds)
      if (!Number.isFinite(reset) || reset <= 0) return { subtype: 'model_cooldown', waitSeconds: 2 }
      const wait = Math.ceil(reset) + (settings.modelCooldownExtraSeconds ?? 1)
      return { subtype: 'model_cooldown', waitSeconds: Math.min(wait, settings.modelCooldownMaxWaitSeconds ?? 60) }
    }
    if (exhausted) return { subtype: 'RESOURCE_EXHAUSTED', waitSeconds: settings.genericResourceWaitSeconds ?? 20 }
  }
  if (status === 403 && (message.includes('quota is not enough') || (message.includes('insufficient') && message.includes('quota')))) {
    return { subtype: 'CREDIT_EXHAUSTED', waitSeconds: 0 }
  }
  return { waitSeconds: 0 }
}

/**
 * A key whose quota or balance ran out: OpenAI's `insufficient_quota` 429, a 402, a 403 about an
 * insufficient quota/balance/credit, or the "quota is not enough" wording of some resellers.
 */
function isQuotaExhausted(status: number, err: ErrorObject, message: string): boolean {
  if (status === 402 || message.includes('quota is not enough')) return true
  if (status === 429) return err.code === 'insufficient_quota' || err.type === 'insufficient_quota'
  return status === 403 && message.includes('insufficient') && ['quota', 'balance', 'credit'].some(w => message.includes(w))
}

/**
 * Parses an upstream error response into the subtypes and waits the Go cc-bridge derives from
 * it, plus whether the key's quota or balance is exhausted.
 */
export function parseUpstreamError(status: number, body: string, settings: WaitSettings = {}): ParsedError {
  const { error: err = {}, message } = readUpstreamError(body)
  const lower = (message ?? body).toLowerCase()
  return { ...subtypeOf(status, err, lower, settings), quotaExhausted: isQuotaExhausted(status, err, lower) }
}

/**
 * The status a transport failure stands for, so it meets the same failover rule as a gateway
 * error: a response-header timeout is a 504, anything else (refused, reset, DNS) a 502.
 */
export function transportStatus(code: string | undefined, error: string): number {
  return /timed?out/i.test(code ?? error) ? 504 : 502
}

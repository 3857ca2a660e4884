import type { PoolName } from '#shared/schemas/config'

/** A user sticks to the channel that last served them for this long after their last request. */
export const AFFINITY_TTL_MS = 30 * 60_000
/** Expired entries are swept at most this often, on write, so the map cannot grow without bound. */
const PRUNE_EVERY_MS = 5 * 60_000
const LEGACY_SEPARATOR = '_account__session_'

type Headers = Record<string, string | string[] | undefined>

/**
 * The user behind a compound Claude Code `metadata.user_id`: the JSON form
 * `{"device_id","account_uuid","session_id"}` gives the account (else the device), the legacy
 * form `user_<hash>_account__session_<uuid>` gives the part before the session, anything else
 * is taken whole.
 */
export function userFromMetadataUserId(userId: string): string | undefined {
  const trimmed = userId.trim()
  if (!trimmed) return undefined
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { account_uuid?: unknown, device_id?: unknown }
      for (const v of [parsed.account_uuid, parsed.device_id]) {
        if (typeof v === 'string' && v) return v
      }
    }
    catch {
      // Not JSON after all: fall through and use the string as it is.
    }
  }
  const at = trimmed.indexOf(LEGACY_SEPARATOR)
  return at > 0 ? trimmed.slice(0, at) : trimmed
}

/** A request header's first value, trimmed; undefined when absent or blank. */
export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name]
  const s = Array.isArray(v) ? v[0] : v
  return s?.trim() || undefined
}

function metadataUser(body: unknown): string | undefined {
  const userId = (body as { metadata?: { user_id?: unknown } } | null)?.metadata?.user_id
  return typeof userId === 'string' ? userFromMetadataUserId(userId) : undefined
}

/**
 * The trace-affinity key of a request. Messages and chat use the `metadata.user_id` user.
 * Responses use `prompt_cache_key` itself, so each Codex client keeps its own channel
 * (the Go cc-bridge put every Codex client under one shared `"codex"` entry), then the
 * session headers (Codex sends `session-id` and `thread-id`, older builds `session_id`), then
 * `metadata.user_id`. Header names must be lower-case, as Node gives them.
 */
export function extractAffinityKey(pool: PoolName, body: unknown, headers: Headers): string | undefined {
  if (pool !== 'responses') return metadataUser(body)
  const cacheKey = (body as { prompt_cache_key?: unknown } | null)?.prompt_cache_key
  if (typeof cacheKey === 'string' && cacheKey.trim()) return cacheKey.trim()
  return header(headers, 'conversation_id')
    ?? header(headers, 'x-claude-code-session-id')
    ?? header(headers, 'session-id')
    ?? header(headers, 'session_id')
    ?? header(headers, 'thread-id')
    ?? metadataUser(body)
}

/** One pool's user → channel-id map with an idle TTL; keyed by id so reorders cannot misroute. */
export class AffinityMap {
  private entries = new Map<string, { channelId: string, lastUsed: number }>()
  private lastPrune = 0

  constructor(private readonly ttlMs = AFFINITY_TTL_MS) {}

  /** The user's channel, refreshing its TTL, or undefined when absent or expired. */
  get(key: string, now: number): string | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (now - entry.lastUsed >= this.ttlMs) {
      this.entries.delete(key)
      return undefined
    }
    entry.lastUsed = now
    return entry.channelId
  }

  set(key: string, channelId: string, now: number): void {
    this.entries.set(key, { channelId, lastUsed: now })
    if (now - this.lastPrune >= PRUNE_EVERY_MS) this.prune(now)
  }

  /** Forgets one user, but only if they still point at this channel. */
  forget(key: string, channelId: string): void {
    if (this.entries.get(key)?.channelId === channelId) this.entries.delete(key)
  }

  /** Forgets every user of the channels `keep` rejects (suspended, disabled, breaker opened, removed). */
  retain(keep: (channelId: string) => boolean): void {
    for (const [key, entry] of this.entries) {
      if (!keep(entry.channelId)) this.entries.delete(key)
    }
  }

  /** Live entries, for the scheduler stats. */
  size(now: number): number {
    this.prune(now)
    return this.entries.size
  }

  private prune(now: number): void {
    this.lastPrune = now
    for (const [key, entry] of this.entries) {
      if (now - entry.lastUsed >= this.ttlMs) this.entries.delete(key)
    }
  }
}

import type { PoolName } from '#shared/schemas/config'
import { asObject, asString } from '#server/utils/convert/values'
import { header, userFromMetadataUserId } from '#server/utils/scheduler/affinity'

type Headers = Record<string, string | string[] | undefined>

const LEGACY_SESSION = /_session_([\w-]+)$/

/** The session inside Claude Code's `metadata.user_id`: its JSON form's `session_id`, or the legacy `…_session_<uuid>`. */
function metadataSession(userId: string): string | undefined {
  if (userId.trim().startsWith('{')) {
    try {
      return asString(asObject(JSON.parse(userId))?.session_id) || undefined
    }
    catch {
      return undefined
    }
  }
  return LEGACY_SESSION.exec(userId)?.[1]
}

/**
 * Who sent a request and in which session, for the request log's `byClient` and `bySession`:
 * Claude Code's `metadata.user_id` (account or device, and its session), an OpenAI `user`, and
 * Codex's `session-id` header or `prompt_cache_key` (one per thread).
 */
export function clientOf(pool: PoolName, body: Record<string, unknown>, headers: Headers): { clientId: string | undefined, sessionId: string | undefined } {
  const userId = asString(asObject(body.metadata)?.user_id)
  const clientId = (userId && userFromMetadataUserId(userId)) || asString(body.user)?.trim() || undefined
  const sessionId = (userId && metadataSession(userId))
    || header(headers, 'x-claude-code-session-id')
    || header(headers, 'session-id')
    || header(headers, 'session_id')
    || (pool === 'responses' ? asString(body.prompt_cache_key)?.trim() : undefined)
    || undefined
  // Absent ones undefined rather than left out: conditional spreads cost an object each, per request.
  return { clientId: clientId || undefined, sessionId }
}

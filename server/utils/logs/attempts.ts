import { maskKey } from '#server/utils/admin/mask'
import { channelById } from '#server/utils/config/channel-by-id'
import type { DecisionRecord } from '#server/utils/scheduler/types'
import type { StoredChannel } from '#shared/schemas/config'
import type { LogAttempt } from '#shared/schemas/logs'

/**
 * The `attempts` column from the routing's decisions (`routing.decisions()`): the same trail,
 * each key masked (the key a decision used is its channel's `apiKeys[keyIndex]`), a retry with
 * the wait before it.
 */
export function logAttempts(decisions: readonly DecisionRecord[], channels: readonly Pick<StoredChannel, 'id' | 'apiKeys'>[]): LogAttempt[] {
  return decisions.map((d) => {
    const key = channelById(channels, d.channelId)?.apiKeys[d.keyIndex]
    // One literal, absent fields undefined (the JSON column leaves them out): conditional spreads
    // cost an object each, for every attempt of every request.
    return {
      channelId: d.channelId,
      channelName: d.channelName,
      maskedKey: key === undefined ? undefined : maskKey(key),
      keyIndex: d.keyIndex,
      status: d.status,
      error: d.error,
      action: d.action,
      reason: d.reason,
      waitMs: d.waitMs,
    }
  })
}

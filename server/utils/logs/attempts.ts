import { maskKey } from '#server/utils/admin/mask'
import type { DecisionRecord } from '#server/utils/scheduler/types'
import type { LogAttempt } from '#shared/schemas/logs'

/**
 * The `attempts` column from the routing's decisions (`routing.decisions()`): the same trail,
 * each key masked. `keyOf` finds the key a decision used (the channel's `apiKeys[keyIndex]`);
 * `waits` gives the retry waits in ms by decision index, as the proxy saw them.
 */
export function logAttempts(
  decisions: readonly DecisionRecord[],
  keyOf: (channelId: string, keyIndex: number) => string | undefined,
  waits: ReadonlyMap<number, number> = new Map(),
): LogAttempt[] {
  return decisions.map((d, i) => {
    const key = keyOf(d.channelId, d.keyIndex)
    const waitMs = waits.get(i)
    return {
      channelId: d.channelId,
      channelName: d.channelName,
      ...(key === undefined ? {} : { maskedKey: maskKey(key) }),
      keyIndex: d.keyIndex,
      ...(d.status === undefined ? {} : { status: d.status }),
      ...(d.error === undefined ? {} : { error: d.error }),
      action: d.action,
      reason: d.reason,
      ...(waitMs === undefined ? {} : { waitMs }),
    }
  })
}

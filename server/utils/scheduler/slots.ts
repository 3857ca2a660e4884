/**
 * Per-key state is keyed by channel id and key together: the same key string in two channels
 * has separate cooldowns and counters (the Go cc-bridge shared them across channels).
 */
export const slot = (channelId: string, key: string) => `${channelId}\n${key}`

/** Deletes the entries of maps keyed by {@link slot} (or by bare channel id) whose channel `keep` rejects. */
export function retainSlots(maps: readonly Map<string, unknown>[], keep: (channelId: string) => boolean): void {
  for (const map of maps) {
    for (const k of map.keys()) {
      if (!keep(k.split('\n')[0]!)) map.delete(k)
    }
  }
}

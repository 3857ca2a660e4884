/**
 * The channel with a stable `id` in a list, if any: a plain loop, since the request log asks for
 * every logged request (its serving channel, and each attempt's key).
 */
export function channelById<T extends { id?: string }>(channels: readonly T[], id: string | undefined): T | undefined {
  if (id === undefined) return undefined
  for (const c of channels) if (c.id === id) return c
  return undefined
}

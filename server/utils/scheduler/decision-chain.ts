import type { DecisionRecord } from './types'

/**
 * Renders the decision trail for logs, e.g. `chanA 500 > retry > chanA 500 > failover > chanB 200`.
 * A key other than the channel's first is shown as `chanA#1`.
 */
export function renderChain(records: readonly DecisionRecord[]): string {
  return records.map((r) => {
    const who = r.keyIndex > 0 ? `${r.channelName}#${r.keyIndex}` : r.channelName
    const head = [who, r.status ?? r.error].filter(v => v !== undefined).join(' ')
    return r.action === 'success' ? head : `${head} > ${r.action}`
  }).join(' > ')
}

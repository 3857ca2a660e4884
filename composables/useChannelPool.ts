import { useDocumentVisibility, useIntervalFn } from '@vueuse/core'
import type { ChannelMetricsView, PingResult } from '#shared/schemas/admin'
import type { ChannelListResponse, ChannelStatus, ChannelView, LoadBalance, PoolName } from '#shared/schemas/config'
import type { LogGroupStats, LogStats } from '#shared/schemas/logs'

/** Metrics (breaker, recent calls) refresh this often; the channel list less often. */
const METRICS_EVERY_MS = 5_000
const LIST_EVERY_MS = 15_000

function startOfToday(): string {
  const d = new Date()
  d.setHours(0, 0, 0, 0)
  return d.toISOString()
}

/** The failover sequence as the scheduler walks it: priority (lower first), then list position. */
function byPriority(a: ChannelView, b: ChannelView): number {
  return (a.priority || 0) - (b.priority || 0) || a.index - b.index
}

/**
 * One pool's channels as the channels page shows them: the list (with the ETag its writes send
 * back as `If-Match`), live metrics, today's request stats, and every action of a channel card.
 * Polls while the tab is visible.
 */
export function useChannelPool(pool: PoolName) {
  const meta = POOL_META[pool]
  const { api, apiWithEtag } = useAdminApi()
  const etag = ref<string>()
  /** Set while a drag or a write is in flight, so a poll does not overwrite what the user sees. */
  const busy = ref(false)

  const list = useAsyncData(`channels-${pool}`, async () => {
    const { data, etag: tag } = await apiWithEtag<ChannelListResponse>(meta.channels)
    etag.value = tag
    return data
  })
  const metrics = useAsyncData(`channel-metrics-${pool}`, () => api<ChannelMetricsView[]>(`${meta.channels}/metrics`), { default: () => [] })
  const stats = useAsyncData(`log-stats-today`, () => api<LogStats>('/api/logs/stats', { query: { from: startOfToday() } }))
  const pings = ref<Record<string, PingResult>>({})

  const channels = computed(() => list.data.value?.channels ?? [])
  const strategy = computed<LoadBalance>(() => list.data.value?.loadBalance ?? 'failover')
  const sequence = ref<ChannelView[]>([])
  const backup = computed(() => channels.value.filter(c => c.status === 'disabled').sort((a, b) => a.name.localeCompare(b.name)))

  watch(channels, (all) => {
    if (!busy.value) sequence.value = all.filter(c => c.status !== 'disabled').sort(byPriority)
  }, { immediate: true })

  const metricsById = computed(() => new Map(metrics.data.value.map(m => [m.channelId, m])))

  /** Today's finished requests of this pool's channels (the log groups them by channel name). */
  const today = computed(() => {
    const byProvider = stats.data.value?.byProvider ?? {}
    const rows = channels.value.map(c => byProvider[c.name]).filter((s): s is LogGroupStats => !!s)
    return {
      requests: rows.reduce((n, s) => n + s.count, 0),
      cost: rows.reduce((n, s) => n + s.cost, 0),
      byChannel: byProvider,
    }
  })

  const visible = useDocumentVisibility()
  useIntervalFn(() => {
    if (visible.value === 'visible') void metrics.refresh()
  }, METRICS_EVERY_MS)
  useIntervalFn(() => {
    if (visible.value === 'visible' && !busy.value) {
      void list.refresh()
      void stats.refresh()
    }
  }, LIST_EVERY_MS)

  async function reload() {
    await Promise.all([list.refresh(), metrics.refresh()])
  }

  const path = (channel: ChannelView, suffix = '') => `${meta.channels}/${encodeURIComponent(channel.id)}${suffix}`

  /**
   * Saves the failover sequence as it is on screen (the backup pool after it), with `If-Match`.
   * Throws after putting the previous order back when the server refuses (409: someone else
   * changed the config in between).
   */
  async function saveOrder(previous: ChannelView[]) {
    busy.value = true
    try {
      const order = [...sequence.value, ...backup.value].map(c => c.id)
      await api(`${meta.channels}/reorder`, { method: 'POST', body: { order }, headers: etag.value ? { 'If-Match': etag.value } : {} })
    }
    catch (err) {
      sequence.value = previous
      throw err
    }
    finally {
      busy.value = false
      await list.refresh()
    }
  }

  async function setStrategy(next: LoadBalance) {
    await api(meta.loadbalance, { method: 'PUT', body: { strategy: next } })
    await list.refresh()
  }

  async function setStatus(channel: ChannelView, status: ChannelStatus) {
    await api(path(channel, '/status'), { method: 'PATCH', body: { status } })
    await reload()
  }

  async function resume(channel: ChannelView) {
    await api(path(channel, '/resume'), { method: 'POST' })
    await metrics.refresh()
  }

  async function promote(channel: ChannelView, duration = 300) {
    await api(path(channel, '/promotion'), { method: 'POST', body: { duration } })
    await list.refresh()
  }

  async function ping(channel: ChannelView) {
    const result = await api<PingResult>(`${meta.ping}/${encodeURIComponent(channel.id)}`)
    pings.value = { ...pings.value, [channel.id]: result }
    return result
  }

  async function fetchModels(channel: ChannelView) {
    const { models } = await api<{ models: { id: string }[] }>(path(channel, '/models'))
    return models.map(m => m.id)
  }

  async function remove(channel: ChannelView) {
    await api(path(channel), { method: 'DELETE', headers: etag.value ? { 'If-Match': etag.value } : {} })
    await reload()
  }

  return {
    meta, list, metrics, stats, etag, busy, pings,
    channels, strategy, sequence, backup, metricsById, today,
    reload, saveOrder, setStrategy, setStatus, resume, promote, ping, fetchModels, remove, path,
  }
}

export type ChannelPool = ReturnType<typeof useChannelPool>

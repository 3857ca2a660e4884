import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LogStatus, LogStreamEvent, RequestLog, RequestLogList } from '#shared/schemas/logs'

/** The filters the log page applies, as the API takes them (times in epoch ms). */
export interface LogPageFilter {
  model?: string
  channel?: string
  client?: string
  status?: LogStatus[]
  from?: number
  to?: number
}

/** The filters as the URL keeps them: days as `YYYY-MM-DD`, the rest as the API takes them. */
export interface LogQueryFilters {
  from?: string
  to?: string
  model?: string
  channel?: string
  client?: string
  status: LogStatus[]
}

/** A `YYYY-MM-DD` day's first (or last) millisecond in the browser's time zone. */
export function dayBoundary(day: string | undefined, end: boolean): number | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined
  const ms = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`).getTime()
  return Number.isNaN(ms) ? undefined : ms
}

/** The URL's filters as the API (and {@link matchesFilter}) take them. */
export function toPageFilter(q: LogQueryFilters): LogPageFilter {
  return {
    model: q.model, channel: q.channel, client: q.client,
    status: q.status.length ? q.status : undefined,
    from: dayBoundary(q.from, false), to: dayBoundary(q.to, true),
  }
}

/** Whether a row belongs to the filtered view, as the server's `logWhere` decides it. */
export function matchesFilter(row: RequestLog, f: LogPageFilter): boolean {
  if (f.model && row.model !== f.model) return false
  if (f.channel && f.channel !== row.channelUid && f.channel !== row.channelName && f.channel !== row.providerName) return false
  if (f.client && row.clientId !== f.client) return false
  if (f.status?.length && !f.status.includes(row.status)) return false
  const started = Date.parse(row.initialTime)
  if (f.from !== undefined && started < f.from) return false
  if (f.to !== undefined && started > f.to) return false
  return true
}

/** Events kept while paused; past this the page reloads on resume instead. */
const MAX_BUFFERED = 500

/**
 * The live request feed: the rows of the page on screen, updated from the log stream. New rows
 * go on top of the first page, `log:updated` replaces its row in place; while paused, events
 * wait and are applied on resume so the table holds still under the reader.
 */
export const useLogsStore = defineStore('logs', () => {
  const rows = ref<RequestLog[]>([])
  const total = ref(0)
  const filter = ref<LogPageFilter>({})
  /** Only the first page takes new rows: later pages would shift under the reader. */
  const firstPage = ref(true)
  const pageSize = ref(50)
  const paused = ref(false)
  const buffered = ref<LogStreamEvent[]>([])
  /** Set when more events arrived during a pause than were kept: the page must reload. */
  const overflowed = ref(false)
  /** Ids of rows that arrived live, for a moment's highlight. */
  const fresh = ref<string[]>([])

  function load(list: RequestLogList) {
    rows.value = list.requests
    total.value = list.total
  }

  function apply(event: LogStreamEvent) {
    const row = event.data
    const at = rows.value.findIndex(r => r.id === row.id)
    const wanted = matchesFilter(row, filter.value)
    if (at >= 0) {
      if (wanted) rows.value.splice(at, 1, row)
      else {
        rows.value.splice(at, 1)
        total.value = Math.max(0, total.value - 1)
      }
      return
    }
    if (!wanted) return
    total.value++
    if (!firstPage.value) return
    // Newest first, like the API: a row that finishes late may still belong below newer ones.
    const started = Date.parse(row.initialTime)
    const index = rows.value.findIndex(r => Date.parse(r.initialTime) <= started)
    rows.value.splice(index < 0 ? rows.value.length : index, 0, row)
    if (rows.value.length > pageSize.value) rows.value.length = pageSize.value
    if (event.type === 'log:created') fresh.value = [...fresh.value, row.id].slice(-pageSize.value)
  }

  /** Takes one event of the stream: applied now, or kept for when the feed resumes. */
  function receive(event: LogStreamEvent) {
    if (!paused.value) return apply(event)
    if (buffered.value.length >= MAX_BUFFERED) overflowed.value = true
    else buffered.value.push(event)
  }

  function pause() {
    paused.value = true
  }

  /** Applies what waited. Returns false when too much was missed and the page must reload. */
  function resume(): boolean {
    paused.value = false
    const events = buffered.value
    buffered.value = []
    if (overflowed.value) {
      overflowed.value = false
      return false
    }
    events.forEach(apply)
    return true
  }

  function clear() {
    rows.value = []
    total.value = 0
    buffered.value = []
    fresh.value = []
  }

  return { rows, total, filter, firstPage, pageSize, paused, buffered, fresh, load, receive, pause, resume, clear }
})

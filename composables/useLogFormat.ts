import type { LogStatus } from '#shared/schemas/logs'

type BadgeColor = 'success' | 'error' | 'warning' | 'info' | 'neutral'

const STATUS_COLORS: Record<LogStatus, BadgeColor> = {
  completed: 'success',
  error: 'error',
  timeout: 'warning',
  pending: 'info',
  retry_wait: 'warning',
  failover: 'warning',
}

/** Number, money, duration and time formatting for the log views, in the UI's language. */
export function useLogFormat() {
  const { locale } = useI18n()
  const tag = computed(() => (locale.value === 'zh' ? 'zh-CN' : 'en-US'))

  const count = (n: number) => new Intl.NumberFormat(tag.value).format(n)
  const compact = (n: number) => new Intl.NumberFormat(tag.value, { notation: 'compact', maximumFractionDigits: 1 }).format(n)
  /** USD with enough digits to tell a cheap request from a free one. */
  const usd = (n: number) => new Intl.NumberFormat(tag.value, {
    style: 'currency', currency: 'USD',
    minimumFractionDigits: 2,
    maximumFractionDigits: n !== 0 && Math.abs(n) < 1 ? 4 : 2,
  }).format(n)
  const percent = (n: number) => `${n.toFixed(1)} %`
  const duration = (ms: number | null | undefined) => {
    if (ms == null) return '–'
    if (ms < 1000) return `${Math.round(ms)} ms`
    if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
    return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
  }
  /** The time of day, with the date in front when it is not today. */
  const time = (iso: string) => {
    const d = new Date(iso)
    const clock = d.toLocaleTimeString(tag.value, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })
    if (d.toDateString() === new Date().toDateString()) return clock
    return `${d.toLocaleDateString(tag.value, { month: 'short', day: 'numeric' })} ${clock}`
  }
  const dateTime = (iso: string) => new Date(iso).toLocaleString(tag.value, { hour12: false })
  const statusColor = (status: LogStatus) => STATUS_COLORS[status]

  return { count, compact, usd, percent, duration, time, dateTime, statusColor }
}

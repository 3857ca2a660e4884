import type { LogStreamEvent } from '#shared/schemas/logs'

/**
 * Opens the request log's live stream while the calling component is mounted and hands each
 * `log:created` / `log:updated` event to `onEvent`. EventSource reconnects by itself; `connected`
 * says whether it is currently open. The stream reopens when the access key changes.
 */
export function useLogStream(onEvent: (event: LogStreamEvent) => void) {
  const url = useLogStreamUrl()
  const connected = ref(false)
  let source: EventSource | undefined

  const handle = (message: MessageEvent<string>) => {
    try {
      onEvent(JSON.parse(message.data) as LogStreamEvent)
    }
    catch { /* a malformed frame is skipped, the next one still counts */ }
  }

  function close() {
    source?.close()
    source = undefined
    connected.value = false
  }

  function open() {
    close()
    source = new EventSource(url.value)
    source.addEventListener('open', () => connected.value = true)
    source.addEventListener('error', () => connected.value = source?.readyState === EventSource.OPEN)
    source.addEventListener('log:created', handle)
    source.addEventListener('log:updated', handle)
  }

  onMounted(open)
  onBeforeUnmount(close)
  watch(url, open)

  return { connected }
}

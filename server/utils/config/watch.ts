import { watch } from 'node:fs'

/** Stops a watcher started by `watchFile`. */
export type StopWatching = () => void

/**
 * Calls `onChange` once things settle after `fileName` in `dir` changes. It watches the directory,
 * not the file: atomic saves (ours, and most editors') rename a new inode over the old one, and a
 * watch on the file would stay on the replaced inode. Bursts of events (write, rename, chmod)
 * collapse into one call `debounceMs` after the last. The watch does not keep the process alive.
 */
export function watchFile(
  dir: string,
  fileName: string,
  onChange: () => void,
  { debounceMs = 100, onError }: { debounceMs?: number, onError?: (err: Error) => void } = {},
): StopWatching {
  let timer: NodeJS.Timeout | undefined
  const watcher = watch(dir, { persistent: false }, (_event, name) => {
    // Some platforms give no file name; then any event in the directory may be ours.
    if (name && name !== fileName) return
    clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  })
  watcher.on('error', err => onError?.(err))
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}

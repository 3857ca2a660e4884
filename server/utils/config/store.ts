import { mkdirSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CHANNEL_POOL_KEYS, ConfigSchema } from '#shared/schemas/config'
import type { Config } from '#shared/schemas/config'
import { ConfigFileError, StaleRevisionError } from './errors'
import { ifMatchAllows } from './etag'
import { CONFIG_FILE, defaultConfig, parseConfigText } from './load'
import { contentHash, serializeConfig, writeConfigFile } from './save'
import { watchFile } from './watch'
import type { StopWatching } from './watch'

/** Where the store reports what it did; `console` by default. */
export interface ConfigLogger {
  info: (message: string) => void
  warn: (message: string) => void
  error: (message: string) => void
}

/** The config in force and its revision (served as the ETag). The config is deeply frozen. */
export interface ConfigSnapshot {
  readonly config: Config
  readonly revision: number
}

export interface ConfigStore {
  /** The current snapshot. Cheap; call it per request rather than keeping the result. */
  get(): ConfigSnapshot
  /**
   * Runs `fn` on a deep copy, validates the result, saves it and bumps the revision, one write at
   * a time. Throws StaleRevisionError when `ifMatch` names an older revision, a ZodError when the
   * result is invalid, and whatever `fn` throws; in all those cases nothing changes.
   */
  mutate<T>(fn: (draft: Config) => T, options?: { ifMatch?: string | null }): Promise<T>
  /**
   * Re-reads config.json. Resolves true when the content changed and was applied. On a bad file
   * it keeps the last good config, sets `lastError`, logs, and rejects with a ConfigFileError.
   */
  reload(): Promise<boolean>
  /** Why the file on disk is not the config in force, or null when it is. */
  readonly lastError: string | null
  /** Called after every applied save or reload; returns the unsubscribe function. */
  onChange(listener: (snapshot: ConfigSnapshot) => void): () => void
  /** Starts reloading on hand edits of config.json. */
  watch(): void
  /** Resolves once every queued write or reload has finished. */
  settled(): Promise<void>
  /** Stops the watcher and drops the listeners. */
  close(): void
}

export interface ConfigStoreOptions {
  /** `CONFIG_DIR`: holds config.json and its `backups/`. */
  dir: string
  log?: ConfigLogger
  /** Quiet time after a file event before a reload; 100 ms by default. */
  debounceMs?: number
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

function warnInsecure(config: Config, log: ConfigLogger): void {
  for (const key of CHANNEL_POOL_KEYS) {
    for (const channel of config[key]) {
      if (channel.insecureSkipVerify) log.warn(`[config] ${key} channel "${channel.name}" skips TLS certificate verification`)
    }
  }
}

/**
 * Loads `dir/config.json` synchronously, so the store is usable at once; throws a ConfigFileError
 * naming the bad field when the file is invalid. A missing file becomes the default config, and
 * ids generated for id-less channels are written back; both saves are queued and logged.
 */
export function createConfigStore({ dir, log = console, debounceMs }: ConfigStoreOptions): ConfigStore {
  const file = join(dir, CONFIG_FILE)
  mkdirSync(dir, { recursive: true })

  let initialText: string | undefined
  try {
    initialText = readFileSync(file, 'utf8')
  }
  catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const initial = initialText === undefined
    ? { config: defaultConfig(), changes: [`created ${file} with empty pools`] }
    : parseConfigText(initialText, file)
  warnInsecure(initial.config, log)

  let snapshot: ConfigSnapshot = { config: deepFreeze(initial.config), revision: 1 }
  let diskHash = initialText === undefined ? undefined : contentHash(initialText)
  let lastError: string | null = null
  let stopWatching: StopWatching | undefined
  const listeners = new Set<(snapshot: ConfigSnapshot) => void>()
  let queue: Promise<unknown> = Promise.resolve()

  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task)
    queue = run.catch(() => {})
    return run
  }

  async function persist(config: Config): Promise<void> {
    const text = serializeConfig(config)
    await writeConfigFile(dir, text)
    diskHash = contentHash(text)
  }

  function commit(config: Config): void {
    snapshot = { config: deepFreeze(config), revision: snapshot.revision + 1 }
    for (const listener of listeners) {
      try {
        listener(snapshot)
      }
      catch (err) {
        log.error(`[config] change listener failed: ${(err as Error).message}`)
      }
    }
  }

  function fail(message: string): never {
    lastError = message
    log.error(`[config] reload failed, keeping the last good config: ${message}`)
    throw new ConfigFileError(message)
  }

  /**
   * Applies config.json if it changed on disk since we last read or wrote it. Returns whether it
   * did; a file that does not parse is reported through `onInvalid` and left alone.
   */
  async function adoptDisk(onInvalid: (message: string) => void): Promise<boolean> {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    }
    catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        onInvalid(`${file} is missing`)
        return false
      }
      throw err
    }
    const hash = contentHash(text)
    if (hash === diskHash) {
      lastError = null
      return false
    }
    let parsed
    try {
      parsed = parseConfigText(text, file)
    }
    catch (err) {
      onInvalid((err as Error).message)
      return false
    }
    diskHash = hash
    for (const change of parsed.changes) log.info(`[config] ${change}`)
    if (parsed.changes.length > 0) await persist(parsed.config)
    warnInsecure(parsed.config, log)
    lastError = null
    commit(parsed.config)
    log.info(`[config] reloaded ${file} (revision ${snapshot.revision})`)
    return true
  }

  if (initial.changes.length > 0) {
    for (const change of initial.changes) log.info(`[config] ${change}`)
    // Start-up writes are not client-visible changes, so they keep revision 1.
    serial(() => persist(initial.config))
      .catch(err => log.error(`[config] could not write ${file}: ${(err as Error).message}`))
  }

  const store: ConfigStore = {
    get: () => snapshot,
    get lastError() {
      return lastError
    },

    mutate(fn, { ifMatch } = {}) {
      return serial(async () => {
        // A hand edit the watcher has not picked up yet is applied first, never overwritten
        // (and then an If-Match from before it is stale). A broken one stays in backups/.
        await adoptDisk((message) => {
          lastError = message
        })
        if (!ifMatchAllows(ifMatch, snapshot.revision)) throw new StaleRevisionError()
        const draft = structuredClone(snapshot.config) as Config
        const result = fn(draft)
        const next = ConfigSchema.parse(draft)
        await persist(next)
        // The file now holds what we hold, whatever bad hand edit it had before.
        lastError = null
        commit(next)
        return result
      })
    },

    reload() {
      return serial(() => adoptDisk(fail))
    },

    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    watch() {
      stopWatching ??= watchFile(dir, CONFIG_FILE, () => {
        // reload() has already logged and recorded any failure.
        store.reload().catch(() => {})
      }, { debounceMs, onError: err => log.error(`[config] watcher error: ${err.message}`) })
    },

    settled: () => queue.then(() => {}),

    close() {
      stopWatching?.()
      stopWatching = undefined
      listeners.clear()
    },
  }
  return store
}

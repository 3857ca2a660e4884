import type { ConfigStore } from './store'

let current: ConfigStore | undefined

/** Installs the process-wide config store; the config plugin calls this once at start-up. */
export function setConfigStore(store: ConfigStore | undefined): void {
  current = store
}

/** The process-wide config store. Throws if start-up has not created it. */
export function useConfigStore(): ConfigStore {
  if (!current) throw new Error('The config store is not initialised; server/plugins/1.config.ts creates it')
  return current
}

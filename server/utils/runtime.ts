import { readEnv, type Env } from './config/env'

let env: Env | undefined
let checkKey: ((presented: string | undefined) => boolean) | undefined

/** The environment, read once per process. */
export function useEnv(): Env {
  env ??= readEnv()
  return env
}

/** Installs the access-key checker (done by the access-key plugin at start-up). */
export function setAccessKeyChecker(fn: (presented: string | undefined) => boolean): void {
  checkKey = fn
}

/** Whether a presented credential is the access key. Refuses everything until start-up set a key. */
export function isAccessKey(presented: string | undefined): boolean {
  return checkKey ? checkKey(presented) : false
}

let gate: Promise<void> | undefined

/** Registers start-up work (migrations, caches) that requests must wait for. */
export function addStartupTask(task: Promise<unknown>): void {
  const previous = gate
  const current: Promise<void> = Promise.all([previous, task]).then(() => {
    if (gate === current) gate = undefined
  })
  gate = current
}

/** The pending start-up work, or undefined once it is done, so the hot path awaits nothing. */
export function startupGate(): Promise<void> | undefined {
  return gate
}

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

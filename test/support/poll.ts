import { sleep } from './fake-upstream'

/**
 * Reads `read()` every 50 ms until `done` accepts the value, and returns the last value read.
 * `guardMs` only stops a test that would otherwise hang: callers assert on the value, never on
 * how long it took, so keep the guard far above the expected wait.
 */
export async function poll<T>(read: () => T | Promise<T>, done: (value: T) => boolean, guardMs = 10_000): Promise<T> {
  const deadline = Date.now() + guardMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await sleep(50)
    value = await read()
  }
  return value
}

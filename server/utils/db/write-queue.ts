/** Background writes that run one at a time, in call order. */
export interface WriteQueue {
  /** Queues a write; a failure is reported through `logError` and does not stop later writes. */
  enqueue(what: string, write: () => Promise<unknown>): void
  /** Resolves once every write queued so far (and any queued meanwhile) has finished. */
  flush(): Promise<void>
}

/**
 * Serialises a store's write-through to the database, so a later write to a row can never be
 * overtaken by an earlier one (a remote libSQL server gives no ordering between requests).
 */
export function createWriteQueue(name: string, logError: (message: string, error: unknown) => void): WriteQueue {
  let tail: Promise<void> = Promise.resolve()
  return {
    enqueue(what, write) {
      tail = tail.then(write).then(() => {}, error => logError(`[db] ${name}: ${what} failed`, error))
    },
    async flush() {
      let seen: Promise<void>
      do {
        seen = tail
        await seen
      } while (seen !== tail)
    },
  }
}

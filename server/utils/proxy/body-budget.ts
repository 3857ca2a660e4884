/** Thrown when taking a request's body would pass `MAX_INFLIGHT_BODY_MB`; answered with a 503. */
export class BodyBudgetError extends Error {
  constructor(readonly limitBytes: number) {
    super(`cc-bridge is holding too many large requests right now (MAX_INFLIGHT_BODY_MB is ${Math.round(limitBytes / 1024 / 1024)}); retry shortly`)
  }
}

/** The bytes one request holds against the budget; `release()` gives them all back. */
export interface BodyReservation {
  /** Adds `bytes` to this request's share, or throws {@link BodyBudgetError} when the budget is spent. */
  grow(bytes: number): void
  release(): void
}

/**
 * The process-wide budget of buffered request bytes. A request holds its bytes from the first
 * one read until its handler is done (the parsed body lives as long, for failover retries), and
 * a new one that would pass the budget is refused rather than let the process grow without
 * bound. While nothing else is held, any request within `MAX_REQUEST_BODY_MB` is taken.
 */
export class BodyBudget {
  private held = 0

  constructor(readonly limitBytes: number) {}

  /** Bytes held by the requests in flight. */
  get inFlight(): number {
    return this.held
  }

  /** Opens a reservation for one request, holding nothing yet. */
  open(): BodyReservation {
    let mine = 0
    return {
      grow: (bytes) => {
        if (this.held > mine && this.held + bytes > this.limitBytes) throw new BodyBudgetError(this.limitBytes)
        this.held += bytes
        mine += bytes
      },
      release: () => {
        this.held -= mine
        mine = 0
      },
    }
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the fake upstream received. */
export interface Received {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  /** Resolves when the proxy closed this request's connection or the response ended. */
  closed: Promise<void>
  /** True once the response was cut off by the other side before it ended. */
  aborted: () => boolean
}

export type Handler = (req: Received, res: ServerResponse) => void | Promise<void>

/**
 * A real HTTP server on loopback that plays an upstream provider: each request is answered by
 * the next scripted handler (the last one repeats), and everything received is recorded.
 */
export class FakeUpstream {
  readonly received: Received[] = []
  private handlers: Handler[] = []
  private server: Server
  url = ''

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res))
  }

  async start(): Promise<this> {
    await new Promise<void>(r => this.server.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  /** Queues handlers for the next requests; the last one keeps answering. */
  script(...handlers: Handler[]): this {
    this.handlers.push(...handlers)
    return this
  }

  reset(): void {
    this.handlers = []
    this.received.length = 0
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise(r => this.server.close(r))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    let aborted = false
    const closed = new Promise<void>(resolve => res.on('close', () => {
      aborted = !res.writableFinished
      resolve()
    }))
    const rec: Received = {
      method: req.method ?? '', url: req.url ?? '', headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'), closed, aborted: () => aborted,
    }
    this.received.push(rec)
    const handler = this.handlers.length > 1 ? this.handlers.shift()! : this.handlers[0]
    if (!handler) {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"no scripted response"}')
      return
    }
    await handler(rec, res)
  }
}

/** One SSE frame in Anthropic's format (event name = JSON type). */
export function sseEvent(data: Record<string, unknown>): string {
  return `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** Answers with JSON and a status. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(typeof body === 'string' ? body : JSON.stringify(body))
  }
}

/** Streams the given frames, waiting `gapMs` between them. */
export function stream(frames: string[], gapMs = 0, headers: Record<string, string> = {}): Handler {
  return async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers })
    res.flushHeaders()
    for (const f of frames) {
      if (req.aborted() || res.destroyed) return
      res.write(f)
      if (gapMs) await sleep(gapMs)
    }
    res.end()
  }
}

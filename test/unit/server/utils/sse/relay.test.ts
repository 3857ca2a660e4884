import type { ServerResponse } from 'node:http'
import { PassThrough, Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { passthroughTransform } from '#server/utils/sse/passthrough'
import { anthropicSse } from '#server/utils/sse/protocols'
import { relaySse } from '#server/utils/sse/relay'
import { textStream } from '../../../../support/anthropic-fixtures'

/** A client connection that takes `capacity` bytes and then stops reading until `drain()` is called. */
function slowClient(capacity: number) {
  const received: Buffer[] = []
  let release: (() => void) | undefined
  const res = Object.assign(new Writable({
    highWaterMark: capacity,
    write(chunk: Buffer, _enc, done) {
      received.push(chunk)
      release = done
    },
  }), { flushHeaders: () => {} })
  return { res, received, drain: () => release?.() }
}

describe('relaySse', () => {
  it('pauses the upstream while the client is not reading, and resumes when it drains', async () => {
    const frames = textStream(Array.from({ length: 50 }, (_, i) => `piece ${i} `))
    const upstream = new PassThrough()
    const client = slowClient(64)
    const done = relaySse({
      res: client.res as unknown as ServerResponse,
      upstream, first: Buffer.alloc(0), upstreamEnded: false, signal: new AbortController().signal,
      pingMs: 60_000, pingFrame: anthropicSse.pingFrame, transform: passthroughTransform(anthropicSse),
    })
    for (const f of frames.slice(0, 5)) upstream.write(f)
    await new Promise(r => setImmediate(r))
    expect(upstream.isPaused()).toBe(true)
    // Let the client read everything from now on.
    const reading = setInterval(client.drain, 1)
    for (const f of frames.slice(5)) upstream.write(f)
    upstream.end()
    expect(await done).toEqual({ kind: 'completed' })
    clearInterval(reading)
    expect(Buffer.concat(client.received).toString()).toBe(frames.join(''))
  })

  it('stops relaying and reports a client abort when the client goes away', async () => {
    const upstream = new PassThrough()
    const client = slowClient(1 << 20)
    const ac = new AbortController()
    const done = relaySse({
      res: client.res as unknown as ServerResponse,
      upstream, first: Buffer.alloc(0), upstreamEnded: false, signal: ac.signal,
      pingMs: 60_000, pingFrame: anthropicSse.pingFrame, transform: passthroughTransform(anthropicSse),
    })
    upstream.write(textStream(['x'])[0])
    ac.abort()
    expect(await done).toEqual({ kind: 'client-abort' })
  })
})

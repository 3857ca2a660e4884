import type { IncomingMessage } from 'node:http'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { BodyBudget } from '#server/utils/proxy/body-budget'
import { BodyTooLargeError, readBodyLimited } from '#server/utils/proxy/read-body-limited'

const budget = () => new BodyBudget(1 << 30).open()

/** A request body stream with the headers `readBodyLimited` looks at. */
function request(headers: Record<string, string> = {}) {
  const body = new PassThrough()
  return Object.assign(body, { headers }) as PassThrough & IncomingMessage
}

describe('readBodyLimited', () => {
  it('returns the single chunk itself, and joins several', async () => {
    const one = request()
    const chunk = Buffer.from('{"a":1}')
    const read = readBodyLimited(one, 100, budget())
    one.end(chunk)
    expect(await read).toBe(chunk)

    const many = request()
    const joined = readBodyLimited(many, 100, budget())
    many.write('{"a"')
    many.end(':1}')
    expect((await joined).toString()).toBe('{"a":1}')
  })

  it('refuses a declared content-length over the limit before reading a byte', async () => {
    const req = request({ 'content-length': '101' })
    await expect(readBodyLimited(req, 100, budget())).rejects.toBeInstanceOf(BodyTooLargeError)
    expect(req.readableFlowing).toBeNull()
  })

  it('refuses a chunked body as soon as it passes the limit, and drains the rest', async () => {
    const req = request()
    const read = readBodyLimited(req, 10, budget())
    req.write('0123456789')
    req.write('x')
    await expect(read).rejects.toThrow(/too large: the maximum is/)
    // Draining: the rest of the upload is consumed and discarded, so the 413 can be sent.
    expect(req.readableFlowing).toBe(true)
    req.end('more')
  })

  it('passes a stream error on', async () => {
    const req = request()
    const read = readBodyLimited(req, 10, budget())
    req.destroy(new Error('socket hang up'))
    await expect(read).rejects.toThrow('socket hang up')
  })
})

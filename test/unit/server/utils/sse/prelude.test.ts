import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readPrelude } from '#server/utils/sse/prelude'

describe('readPrelude', () => {
  it('reads past leading comments to the first real event', async () => {
    const body = new PassThrough()
    const prelude = readPrelude(body)
    body.write(': OPENROUTER PROCESSING\n\n')
    body.write(': OPENROUTER PROCESSING\n\n')
    body.write('data: {"error":{"message":"No endpoints found","code":502}}\n\n')
    const p = await prelude
    expect(p.first).toEqual({ event: undefined, data: '{"error":{"message":"No endpoints found","code":502}}' })
    expect(p.ended).toBe(false)
    expect(p.bytes.toString()).toContain(': OPENROUTER PROCESSING')
    expect(body.isPaused()).toBe(true)
  })

  it('reports a body that ends before any event', async () => {
    const body = new PassThrough()
    const prelude = readPrelude(body)
    body.end(': keep-alive\n\n')
    expect(await prelude).toMatchObject({ first: undefined, ended: true })
  })

  it('stops waiting after 64 KiB of comments and lets the stream through', async () => {
    const body = new PassThrough()
    const prelude = readPrelude(body)
    for (let i = 0; i < 70; i++) body.write(`: ${'x'.repeat(1021)}\n\n`)
    expect(await prelude).toMatchObject({ first: undefined, ended: false })
  })
})

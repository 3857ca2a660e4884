import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readPrelude } from '#server/utils/sse/prelude'
import { responsesSse } from '#server/utils/sse/responses'

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

  const created = (type: string) => `event: ${type}\ndata: {"type":"${type}","response":{"id":"r","instructions":"${'i'.repeat(100)}"}}\n\n`

  it('reads past a dialect\'s opening events to the one that tells', async () => {
    const body = new PassThrough()
    const prelude = readPrelude(body, responsesSse.isOpeningEvent)
    body.write(created('response.created'))
    body.write(`${created('response.in_progress')}event: error\ndata: {"type":"error","error":{"code":"insufficient_quota"}}`)
    body.write('\n\nevent: response.failed\ndata: {}\n\n')
    const p = await prelude
    expect(p.first?.event).toBe('error')
    expect(p.bytes.toString()).toMatch(/^event: response.created/)
    expect(body.isPaused()).toBe(true)
  })

  it('takes the first event as it is without an opening-event test', async () => {
    const body = new PassThrough()
    const prelude = readPrelude(body)
    body.write(created('response.created'))
    expect((await prelude).first?.event).toBe('response.created')
  })

  it('fails a stream that ends after only its opening events, and bounds how many it reads past', async () => {
    const ended = new PassThrough()
    const p1 = readPrelude(ended, responsesSse.isOpeningEvent)
    ended.end(created('response.created') + created('response.in_progress'))
    expect(await p1).toMatchObject({ first: undefined, ended: true })

    const many = new PassThrough()
    const p2 = readPrelude(many, responsesSse.isOpeningEvent)
    many.write(created('response.queued').repeat(5))
    expect(await p2).toMatchObject({ first: { event: 'response.queued' }, ended: false })
  })
})

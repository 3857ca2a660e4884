import { describe, expect, it } from 'vitest'
import { textStream } from '../support/anthropic-fixtures'
import { stream } from '../support/fake-upstream'
import { channel, startGateway, upstreamsPerTest } from '../support/scheduler'

const t = upstreamsPerTest()
const twoChannels = () => ({ upstream: [channel('A', t.a.url, { priority: 1 }), channel('B', t.b.url, { priority: 2 })], loadBalance: 'failover' })

describe('a stream that fails before its first event', () => {
  it('fails over when the upstream sends comments and then an error event', async () => {
    t.a.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(': PROCESSING\n\n: PROCESSING\n\nevent: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')
    })
    t.b.reset()
    t.b.script(stream(textStream(['from B'])))
    t.gw = await startGateway(twoChannels())
    const answer = await t.gw.ask({ stream: true })
    expect(answer.status).toBe(200)
    expect(answer.channel).toBe('B')
    expect(answer.body).toContain('event: message_stop')
  })

  it('fails over when the upstream closes the stream before any event, and counts it against the channel', async () => {
    t.a.script((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end()
    })
    t.b.reset()
    t.b.script(stream(textStream(['from B'])))
    t.gw = await startGateway(twoChannels())
    const answer = await t.gw.ask({ stream: true })
    expect(answer.channel).toBe('B')
    const metrics = (await t.gw.api('GET', '/api/channels/metrics')).json as { channelId: string, failureCount: number, successCount: number }[]
    expect(metrics.find(m => m.channelId === 'ch-A')).toMatchObject({ failureCount: 1, successCount: 0 })
  })
})

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { poll } from '../support/poll'
import { answersAs, channel, fails, keyOf, startGateway, upstreamsPerTest } from '../support/scheduler'

const t = upstreamsPerTest()
const savedConfig = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))

/** Google-style quota exhaustion, which the default rules answer with a channel suspension. */
const quotaExhausted = fails(429, {}, { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ reason: 'QUOTA_EXHAUSTED' }] })

describe('what the scheduler learns is kept', () => {
  it('moves a key that hit 429 to the end of its channel once another key succeeded, in config.json', async () => {
    t.a.script(fails(429, {}, { type: 'rate_limit_error', message: 'slow down' }), answersAs('A'))
    const a = channel('A', t.a.url, { apiKeys: [keyOf('A', 0), keyOf('A', 1)] })
    t.gw = await startGateway({ upstream: [a], loadBalance: 'failover' })
    const answer = await t.gw.ask()
    expect(answer.text).toBe('from A')
    expect(t.a.received.map(r => r.headers['x-api-key'])).toEqual([keyOf('A', 0), keyOf('A', 1)])
    // Key moves are batched (about 2 s) so a burst of 429s costs one save.
    const saved = await poll(() => savedConfig(t.gw!.server.configDir), c => c.upstream[0].apiKeys[0] === keyOf('A', 1), 20_000)
    expect(saved.upstream[0].apiKeys).toEqual([keyOf('A', 1), keyOf('A', 0)])
  })

  it('suspends a channel whose quota is exhausted, and the suspension survives a restart', async () => {
    t.a.script(quotaExhausted)
    const config = { upstream: [channel('A', t.a.url, { priority: 1 }), channel('B', t.b.url, { priority: 2 })], loadBalance: 'failover' }
    t.gw = await startGateway(config)
    expect((await t.gw.ask()).channel).toBe('B')
    expect((await t.gw.ask()).channel).toBe('B')
    expect(t.a.received).toHaveLength(1)
    const configDir = t.gw.server.configDir
    await t.gw.stop()

    t.gw = await startGateway(undefined, {}, configDir)
    expect((await t.gw.ask()).channel).toBe('B')
    expect(t.a.received).toHaveLength(1)
    // Resume lifts the suspension by hand.
    t.a.reset()
    t.a.script(answersAs('A'))
    expect((await t.gw.api('POST', '/api/channels/ch-A/resume')).status).toBe(200)
    expect((await t.gw.ask()).channel).toBe('A')
  })

  it('keeps an open breaker across a hand edit of config.json that leaves the channel id alone', async () => {
    t.a.script(fails(500))
    const config = { upstream: [channel('A', t.a.url, { priority: 1 }), channel('B', t.b.url, { priority: 2 })], loadBalance: 'failover' }
    t.gw = await startGateway(config, { CIRCUIT_RECOVERY_SECONDS: '600' })
    for (let i = 0; i < 5; i++) expect((await t.gw.ask()).channel).toBe('B')
    expect(t.a.received).toHaveLength(5)
    const breakerOf = async (id: string) => ((await t.gw!.api('GET', '/api/channels/metrics')).json as { channelId: string, breakerState: string }[])
      .find(m => m.channelId === id)?.breakerState
    expect(await breakerOf('ch-A')).toBe('open')

    const file = join(t.gw.server.configDir, 'config.json')
    const edited = savedConfig(t.gw.server.configDir)
    edited.upstream[1].description = 'edited by hand'
    writeFileSync(file, JSON.stringify(edited, null, 2))
    const channels = await poll(async () => (await t.gw!.api('GET', '/api/channels')).json.channels, c => c[1].description === 'edited by hand')
    expect(channels[1].description).toBe('edited by hand')
    expect((await t.gw.ask()).channel).toBe('B')
    expect(t.a.received).toHaveLength(5)
    expect(await breakerOf('ch-A')).toBe('open')
  })
})

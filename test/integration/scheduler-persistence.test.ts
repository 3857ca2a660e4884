import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { poll } from '../support/poll'
import { ACCESS_KEY } from '../support/server'
import { answersAs, channel, fails, keyOf, startGateway, upstreamsPerTest, type Gateway } from '../support/scheduler'

const t = upstreamsPerTest()
const savedConfig = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
/** The backup files of a config folder, each with its content. */
const backupsOf = (dir: string) => {
  const backups = join(dir, 'backups')
  return existsSync(backups) ? readdirSync(backups).sort().map(f => [f, readFileSync(join(backups, f), 'utf8')]) : []
}
const etagOf = async (gw: Gateway) => (await fetch(`${gw.server.url}/api/channels`, { headers: { 'x-api-key': ACCESS_KEY } })).headers.get('etag')

/** Google-style quota exhaustion, which the default rules answer with a channel suspension. */
const quotaExhausted = fails(429, {}, { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED', details: [{ reason: 'QUOTA_EXHAUSTED' }] })

describe('what the scheduler learns is kept', () => {
  it('demotes a key that hit 429 in its runtime order only: config.json, its backups and its revision stay untouched, and the order survives a restart', async () => {
    let n = 0
    const rateLimited = fails(429, {}, { type: 'rate_limit_error', message: 'slow down' })
    // Every request's first attempt gets a 429 and its second succeeds, so each one demotes a key.
    t.a.script((req, res) => (n++ % 2 === 0 ? rateLimited : answersAs('A'))(req, res))
    const keys = [keyOf('A', 0), keyOf('A', 1)]
    t.gw = await startGateway({ upstream: [channel('A', t.a.url, { apiKeys: keys })], loadBalance: 'failover' })
    const configDir = t.gw.server.configDir
    const file = join(configDir, 'config.json')
    const before = { text: readFileSync(file, 'utf8'), backups: backupsOf(configDir), etag: await etagOf(t.gw) }

    for (let i = 0; i < 100; i++) expect((await t.gw.ask()).text).toBe('from A')
    expect(t.a.received).toHaveLength(200)
    // The first attempts alternate between the keys: each 429 sent its key to the end.
    const firstKeys = t.a.received.filter((_, i) => i % 2 === 0).map(r => r.headers['x-api-key'])
    expect(firstKeys.slice(0, 4)).toEqual([keys[0], keys[1], keys[0], keys[1]])
    await new Promise(r => setTimeout(r, 2500))
    expect(readFileSync(file, 'utf8')).toBe(before.text)
    expect(backupsOf(configDir)).toEqual(before.backups)
    expect(await etagOf(t.gw)).toBe(before.etag)

    // The 100th request demoted keys[1]: after a restart keys[0] still goes first.
    await t.gw.stop()
    t.a.reset()
    t.a.script(answersAs('A'))
    t.gw = await startGateway(undefined, {}, configDir)
    expect((await t.gw.ask()).text).toBe('from A')
    expect(t.a.received.map(r => r.headers['x-api-key'])).toEqual([keys[0]])
    expect(readFileSync(file, 'utf8')).toBe(before.text)
  })

  it('resets the runtime key order when someone edits that channel\'s keys', async () => {
    t.a.script(fails(429, {}, { type: 'rate_limit_error', message: 'slow down' }), answersAs('A'))
    const keys = [keyOf('A', 0), keyOf('A', 1)]
    t.gw = await startGateway({ upstream: [channel('A', t.a.url, { apiKeys: keys })], loadBalance: 'failover' })
    await t.gw.ask()
    // A restart clears keys[0]'s cooldown but keeps it demoted.
    const configDir = t.gw.server.configDir
    await t.gw.stop()
    t.gw = await startGateway(undefined, {}, configDir)
    const sent = () => t.a.received.slice(2).map(r => r.headers['x-api-key'])
    await t.gw.ask()
    expect(sent()).toEqual([keys[1]])
    expect((await t.gw.api('POST', '/api/channels/ch-A/keys', { apiKey: keyOf('A', 2) })).status).toBe(200)
    await t.gw.ask()
    expect(sent()).toEqual([keys[1], keys[0]])
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

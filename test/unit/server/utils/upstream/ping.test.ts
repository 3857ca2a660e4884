import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import type { StoredChannel } from '#shared/schemas/config'
import { exhaustedKeyViews } from '#server/utils/admin/scheduler-routes'
import { pingUpstream } from '#server/utils/upstream/ping'
import { closedPortUrl } from '../../../../support/scheduler'

const KEY_0 = 'sk-ant-api03-first-key-aaaaaaaaaa-0000'
const KEY_1 = 'sk-ant-api03-second-key-bbbbbbbbb-1111'
const channels: StoredChannel[] = [
  { id: 'c1', name: 'one', serviceType: 'claude', baseUrl: 'https://one.example', apiKeys: ['k'] },
  { id: 'c2', name: 'two', serviceType: 'claude', baseUrl: 'https://two.example', apiKeys: [KEY_0, KEY_1] },
]

describe('exhaustedKeyViews', () => {
  it('names the channel and key position and masks the key', () => {
    const since = Date.parse('2026-01-01T00:00:00Z')
    const views = exhaustedKeyViews([{ channelId: 'c2', key: KEY_1, reason: 'http_429', since }], channels)
    expect(views).toEqual([{
      channelId: 'c2', channelIndex: 1, channelName: 'two', keyIndex: 1,
      maskedKey: 'sk-ant-a***-1111', reason: 'http_429', since: '2026-01-01T00:00:00.000Z',
    }])
    expect(JSON.stringify(views)).not.toContain(KEY_1)
  })

  it('leaves out keys that were deleted from their channel, and channels that are gone', () => {
    expect(exhaustedKeyViews([
      { channelId: 'c2', key: 'sk-deleted-key-cccccccccc', reason: 'http_402', since: 0 },
      { channelId: 'gone', key: KEY_0, reason: 'http_402', since: 0 },
    ], channels)).toEqual([])
  })
})

describe('pingUpstream', () => {
  const http = createHttpServer((_req, res) => {
    res.writeHead(401).end()
  })
  const listening = new Promise<string>(r => http.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)))
  // Accepts connections but never answers, to exercise the timeout.
  const silent = createTcpServer(() => {})
  const silentUrl = new Promise<string>(r => silent.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`)))
  afterAll(() => {
    http.closeAllConnections()
    http.close()
    silent.close()
  })

  it('counts an HTTP error answer as healthy: the upstream is reachable', async () => {
    const result = await pingUpstream(await listening)
    expect(result).toEqual({ success: true, latency: expect.any(Number), status: 'healthy' })
    expect(result.latency).toBeGreaterThanOrEqual(0)
  })

  it('reports a refused connection and a bad URL as errors', async () => {
    expect(await pingUpstream(await closedPortUrl())).toMatchObject({ success: false, status: 'error', error: expect.stringContaining('ECONNREFUSED') })
    expect(await pingUpstream('')).toMatchObject({ success: false, status: 'error', error: expect.any(String) })
  })

  it('gives up after the timeout', async () => {
    const result = await pingUpstream(await silentUrl, false, 200)
    expect(result).toMatchObject({ success: false, status: 'error' })
    expect(result.latency).toBeGreaterThanOrEqual(150)
    expect(result.latency).toBeLessThan(2000)
  })
})

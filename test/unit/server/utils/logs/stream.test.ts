import { request, createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, eventHandler, toNodeListener } from 'h3'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogBroadcaster, type LogBroadcaster } from '#server/utils/logs/broadcaster'
import { streamLogs } from '#server/utils/logs/stream'
import { logView } from '#server/utils/logs/view'
import { poll } from '../../../../support/poll'
import { row } from './helpers'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise(r => server?.close(r) ?? r(undefined))
  server = undefined
})

/** A real h3 app on loopback serving only the log stream over `broadcaster`. */
async function serve(broadcaster: LogBroadcaster, heartbeatMs = 60_000): Promise<string> {
  const app = createApp()
  app.use('/api/logs/stream', eventHandler(event => streamLogs(event, broadcaster, { heartbeatMs })))
  server = createServer(toNodeListener(app))
  await new Promise<void>(r => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/api/logs/stream`
}

interface Listener { res: IncomingMessage, events: { event: string, data: unknown }[], ended: Promise<void>, close: () => void }

/** Opens the stream and parses its events as they arrive. */
function listen(url: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream' } }, (res) => {
      const events: Listener['events'] = []
      let buffer = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message'
          events.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(frame)![1]!) })
        }
      })
      const ended = new Promise<void>(r => res.on('close', () => r()))
      resolve({ res, events, ended, close: () => req.destroy() })
    })
    req.on('error', reject)
    req.end()
  })
}

describe('GET /api/logs/stream fan-out', () => {
  it('sends connected, then each log event to every subscriber, whole', async () => {
    const broadcaster = createLogBroadcaster(10)
    const url = await serve(broadcaster)
    const [a, b] = await Promise.all([listen(url), listen(url)])
    expect(a.res.statusCode).toBe(200)
    expect(a.res.headers['content-type']).toBe('text/event-stream')
    await poll(() => broadcaster.size, n => n === 2)
    broadcaster.publish('log:created', logView(row({ id: 'req_1', status: 'pending', model: 'claude-sonnet-4-5' })))
    for (const l of [a, b]) {
      await poll(() => l.events.length, n => n >= 2)
      expect(l.events[0]).toMatchObject({ event: 'connected', data: { clientId: expect.any(String) } })
      expect(l.events[1]).toMatchObject({ event: 'log:created', data: { type: 'log:created', data: { id: 'req_1', status: 'pending', model: 'claude-sonnet-4-5' }, timestamp: expect.any(String) } })
    }
  })

  it('sends a heartbeat when the stream has been silent', async () => {
    const broadcaster = createLogBroadcaster(10)
    const l = await listen(await serve(broadcaster, 100))
    await poll(() => l.events.filter(e => e.event === 'heartbeat').length, n => n >= 2)
    expect(l.events.filter(e => e.event === 'heartbeat').length).toBeGreaterThanOrEqual(2)
  })

  it('answers 503 beyond the subscriber limit, and frees the slot when a client goes away', async () => {
    const broadcaster = createLogBroadcaster(1)
    const url = await serve(broadcaster)
    const first = await listen(url)
    const refused = await listen(url)
    expect(refused.res.statusCode).toBe(503)
    await refused.ended
    first.close()
    await poll(() => broadcaster.size, n => n === 0)
    expect(broadcaster.size).toBe(0)
    const again = await listen(url)
    expect(again.res.statusCode).toBe(200)
  })

  it('ends every stream on shutdown, so the server can close', async () => {
    const broadcaster = createLogBroadcaster(10)
    const l = await listen(await serve(broadcaster))
    await poll(() => broadcaster.size, n => n === 1)
    broadcaster.closeAll()
    await l.ended
    expect(broadcaster.size).toBe(0)
  })
})

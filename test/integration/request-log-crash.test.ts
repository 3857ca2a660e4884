import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

// The request log writes in batches every 250 ms: a `kill -9` may lose what was queued since the
// last flush, and nothing older.
const FLUSH_WINDOW_MS = 250
const CONCURRENCY = 4
const LOAD_MS = 2000

let upstream: FakeUpstream
let server: RunningServer | undefined

beforeAll(async () => {
  upstream = (await new FakeUpstream().start()).script(json(200, message('ok')))
})
afterAll(async () => {
  await server?.stop()
  await upstream?.stop()
})

describe('the request log after kill -9', () => {
  it('loses at most the requests of the last flush window', async () => {
    server = await startServer({ config: claudeConfig(upstream.url) })
    const configDir = server.configDir
    const body = JSON.stringify({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })
    let answered = 0
    let stop = false
    const started = Date.now()
    const loop = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${server!.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' }, body })
          await res.arrayBuffer()
          if (res.status === 200 && !stop) answered++
        }
        catch {
          return
        }
      }
    }
    const loops = Array.from({ length: CONCURRENCY }, loop)
    await new Promise(r => setTimeout(r, LOAD_MS))
    stop = true
    server.proc.kill('SIGKILL')
    await server.exited
    await Promise.all(loops)
    const rate = answered / ((Date.now() - started) / 1000)

    server = await startServer({ configDir })
    const res = await fetch(`${server.url}/api/logs?status=completed&limit=1`, { headers: { 'x-api-key': ACCESS_KEY } })
    const { total } = await res.json() as { total: number }
    const lost = Math.max(0, answered - total)
    console.log(`[request log] kill -9 after ${answered} answered requests (${rate.toFixed(0)}/s): ${total} completed rows kept, ${lost} lost`)
    expect(total).toBeLessThanOrEqual(answered + CONCURRENCY)
    // One flush window of requests at the measured rate, plus those in flight; twice that as a guard.
    expect(lost).toBeLessThanOrEqual(2 * (Math.ceil(rate * FLUSH_WINDOW_MS / 1000) + CONCURRENCY))
  })
})

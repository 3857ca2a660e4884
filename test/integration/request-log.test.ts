import { request } from 'node:http'
import { join } from 'node:path'
import { createClient } from '@libsql/client'
import { afterEach, describe, expect, it } from 'vitest'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

let server: RunningServer | undefined
afterEach(async () => {
  await server?.stop()
  server = undefined
})

const api = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${server!.url}${path}`, { ...init, headers: { 'x-api-key': ACCESS_KEY, ...init.headers } })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}

/** Writes rows straight into the stopped server's database, as an earlier run would have. */
async function insertRows(configDir: string, rows: Record<string, unknown>[]): Promise<void> {
  const client = createClient({ url: `file:${join(configDir, 'cc-bridge.db')}` })
  for (const r of rows) {
    const columns = Object.keys(r)
    await client.execute({ sql: `insert into request_logs (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`, args: Object.values(r) as never })
  }
  client.close()
}

describe('the request-log admin API', () => {
  it('answers in the Go cc-bridge\'s shapes, behind the access key', async () => {
    server = await startServer({ config: claudeConfig('http://127.0.0.1:9') })
    expect((await fetch(`${server.url}/api/logs`)).status).toBe(401)
    expect(await api('/api/logs')).toEqual({ status: 200, body: { requests: [], total: 0, hasMore: false } })

    const stats = await api('/api/logs/stats?client=c1&from=2026-01-01T00:00:00Z')
    expect(stats.status).toBe(200)
    expect(stats.body).toMatchObject({ totalRequests: 0, totalCost: 0, p50LatencyMs: 0, p95LatencyMs: 0, byModel: {}, byProvider: {}, byClient: {}, bySession: {}, timeRange: { from: '2026-01-01T00:00:00.000Z', to: null } })
    expect(await api('/api/logs/stats/daily')).toEqual({ status: 200, body: { dataPoints: [] } })
    const history = await api('/api/logs/stats/history?duration=6h')
    expect(history.body).toMatchObject({ duration: '6h', bucketSeconds: 300, channels: [], summary: { totalRequests: 0, duration: '6h' } })
    expect((history.body.dataPoints as unknown[]).length).toBeGreaterThanOrEqual(72)

    expect(await api('/api/logs/req_missing')).toEqual({ status: 404, body: { error: 'Request log req_missing not found' } })
    expect(await api('/api/logs?limit=5000')).toMatchObject({ status: 400, body: { error: 'Invalid request', issues: [{ path: 'limit' }] } })
    expect(await api('/api/logs?status=done')).toMatchObject({ status: 400, body: { issues: [{ path: 'status[0]' }] } })
    expect(await api('/api/logs/stats/history?duration=period')).toEqual({ status: 400, body: { error: 'duration=period needs from and to, with from before to' } })
    expect((await api('/api/logs/cleanup?days=abc', { method: 'POST' })).status).toBe(400)
    expect(await api('/api/logs/cleanup?days=30', { method: 'POST' })).toEqual({ status: 200, body: { message: 'Deleted request logs older than 30 days', deletedCount: 0, retentionDays: 30 } })
    expect(await api('/api/logs', { method: 'DELETE' })).toEqual({ status: 200, body: { message: 'Request logs cleared', deletedCount: 0 } })
    const details = (await api('/api/health/details')).body as { requestLog: unknown, memory: { rssMb: number, heapUsedMb: number, heapTotalMb: number, idleCollections: number } }
    expect(details.requestLog).toEqual({ queued: 0, dropped: 0, failed: 0, written: 0, writerCpuUs: 0 })
    // The process's memory, plausible: a heap within what is reserved for it, within the resident set.
    expect(details.memory).toMatchObject({ idleCollections: 0 })
    expect(details.memory.heapUsedMb).toBeGreaterThan(1)
    expect(details.memory.heapUsedMb).toBeLessThanOrEqual(details.memory.heapTotalMb)
    expect(details.memory.heapTotalMb).toBeLessThan(details.memory.rssMb)
  })

  it('serves the live stream with the key in ?key=, and refuses it without', async () => {
    server = await startServer({ config: claudeConfig('http://127.0.0.1:9') })
    const open = (key?: string) => new Promise<{ status: number, first: string }>((resolve, reject) => {
      const req = request(`${server!.url}/api/logs/stream${key ? `?key=${key}` : ''}`, { headers: { accept: 'text/event-stream' } }, (res) => {
        res.setEncoding('utf8')
        res.once('data', (chunk: string) => {
          resolve({ status: res.statusCode!, first: chunk })
          req.destroy()
        })
      })
      req.on('error', reject)
      req.end()
    })
    const ok = await open(ACCESS_KEY)
    expect(ok.status).toBe(200)
    expect(ok.first).toMatch(/^event: connected\ndata: \{"clientId":"[0-9a-f-]{36}"\}\n\n/)
    expect((await open('wrong-key')).status).toBe(401)
  })

  it('keeps its rows across restarts, closes the ones a stopped run left open, and re-seeds channel metrics', async () => {
    server = await startServer({ config: claudeConfig('http://127.0.0.1:9') })
    const { configDir } = server
    await server.stop()
    const now = Date.now()
    const attempts = JSON.stringify([
      { channelId: 'chan0000', channelName: 'claude-0', maskedKey: 'sk-ant-u***aaaaa', status: 503, action: 'retry', reason: 'rule 503, wait 1s', waitMs: 1000 },
      { channelId: 'chan0000', channelName: 'claude-0', maskedKey: 'sk-ant-u***aaaaa', status: 200, action: 'success', reason: 'priority_order' },
    ])
    await insertRows(configDir, [
      { id: 'req_done', status: 'completed', pool: 'messages', endpoint: '/v1/messages', initial_time: now - 60_000, complete_time: now - 58_000, duration_ms: 2000,
        http_status: 200, model: 'claude-sonnet-4-5', channel_uid: 'chan0000', channel_name: 'claude-0', input_tokens: 10, output_tokens: 20, price: 0.00033, attempts },
      { id: 'req_open', status: 'pending', pool: 'messages', endpoint: '/v1/messages', initial_time: now - 30_000, model: 'claude-sonnet-4-5' },
      { id: 'req_failed', status: 'error', pool: 'messages', endpoint: '/v1/messages', initial_time: now - 20_000, http_status: 400, error: 'bad request',
        request_body: '{"model":"claude-sonnet-4-5"}', response_body: '{"type":"error"}' },
    ])

    server = await startServer({ configDir })
    const list = await api('/api/logs')
    expect(list.body.total).toBe(3)
    const rows = list.body.requests as Record<string, unknown>[]
    expect(rows.map(r => [r.id, r.status])).toEqual([['req_failed', 'error'], ['req_open', 'timeout'], ['req_done', 'completed']])
    expect(rows[2]).toMatchObject({ model: 'claude-sonnet-4-5', channelUid: 'chan0000', providerName: 'claude-0', inputTokens: 10, outputTokens: 20, totalTokens: 30, price: 0.00033, durationMs: 2000, httpStatus: 200 })
    expect(rows[0]).toMatchObject({ hasFailedBodies: true })
    expect(rows[0]).not.toHaveProperty('requestBody')
    expect((await api('/api/logs/req_failed')).body).toMatchObject({ requestBody: '{"model":"claude-sonnet-4-5"}', responseBody: '{"type":"error"}' })

    const [metrics] = (await api('/api/channels/metrics')).body as unknown as Record<string, unknown>[]
    expect(metrics).toMatchObject({ channelId: 'chan0000', requestCount: 1, successCount: 1, breakerState: 'closed' })
    expect(metrics!.recentCalls).toEqual([expect.objectContaining({ success: true, statusCode: 200, model: 'claude-sonnet-4-5', channelName: 'claude-0' })])

    await server.stop()
    server = await startServer({ configDir })
    expect((await api('/api/logs?status=completed,error')).body.total).toBe(2)
    expect((await api('/api/logs/stats')).body).toMatchObject({ totalRequests: 2, totalSuccess: 1, totalFailure: 1, totalCost: 0.00033 })
  })
})

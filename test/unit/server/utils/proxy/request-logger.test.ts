import { describe, expect, it, vi } from 'vitest'
import { readEnv } from '#server/utils/env'
import { startRequestLog } from '#server/utils/proxy/request-logger'
import type { PoolRoute, ProxyCall } from '#server/utils/proxy/types'
import type { Services } from '#server/utils/services'

const MESSAGES = { pool: 'messages', endpoint: 'messages', protocol: 'anthropic' } as PoolRoute

/** A call with just what starting a log row reads, and a request log that counts its writes. */
function callWith(env: Record<string, string>) {
  const requestLog = { record: vi.fn(), update: vi.fn() }
  const json = { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }
  const call = {
    id: 'req_1',
    services: { env: readEnv(env), requestLog } as unknown as Services,
    body: { raw: Buffer.from(JSON.stringify(json)), json, model: json.model, stream: false, headers: {}, search: '' },
  } as unknown as ProxyCall
  return { call, requestLog }
}

describe('startRequestLog', () => {
  it('records a pending row for every proxied request by default', () => {
    const { call, requestLog } = callWith({})
    expect(startRequestLog(call, MESSAGES, [])).toBeDefined()
    expect(requestLog.record).toHaveBeenCalledOnce()
    expect(requestLog.record.mock.calls[0]![0]).toMatchObject({ id: 'req_1', status: 'pending', endpoint: '/v1/messages', model: 'claude-sonnet-4-5' })
  })

  it('records nothing with ENABLE_REQUEST_LOG_DB=false', () => {
    const { call, requestLog } = callWith({ ENABLE_REQUEST_LOG_DB: 'false' })
    expect(startRequestLog(call, MESSAGES, [])).toBeUndefined()
    expect(requestLog.record).not.toHaveBeenCalled()
  })

  it('records nothing for side requests that teach the pool nothing (count_tokens)', () => {
    const { call, requestLog } = callWith({})
    expect(startRequestLog(call, { ...MESSAGES, endpoint: 'messages/count_tokens', observeOnly: true }, [])).toBeUndefined()
    expect(requestLog.record).not.toHaveBeenCalled()
  })
})

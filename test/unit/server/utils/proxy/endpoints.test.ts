import { describe, expect, it } from 'vitest'
import { createEndpointTable } from '#server/utils/proxy/endpoints'
import { pathParams } from '#server/utils/proxy/paths'
import type { ProxyEndpoint } from '#server/utils/proxy/types'

const row = (method: string, path: string): ProxyEndpoint => ({ method, path, protocol: 'openai', handler: async () => {} })

describe('the endpoint table', () => {
  const compact = row('POST', '/v1/responses/compact')
  const get = row('GET', '/v1/responses/:id')
  const del = row('DELETE', '/v1/responses/:id')
  const table = createEndpointTable([row('POST', '/v1/responses'), compact, get, del])

  it('keeps :param rows out of the exact lookup the fast path uses', () => {
    expect(table.exact('POST', '/v1/responses/compact')).toBe(compact)
    expect(table.exact('GET', '/v1/responses/resp_1')).toBeUndefined()
  })

  it('matches exact rows first, then patterns, and names the allowed methods', () => {
    expect(table.match('POST', '/v1/responses/compact')).toBe(compact)
    expect(table.match('GET', '/v1/responses/resp_1')).toBe(get)
    expect(table.match('DELETE', '/v1/responses/resp_1')).toBe(del)
    expect(table.match('GET', '/v1/responses/resp_1/extra')).toBeUndefined()
    expect(table.allowed('/v1/responses/resp_1')).toEqual(['GET', 'DELETE'])
    expect(table.allowed('/v1/responses/compact')).toEqual(['POST'])
  })

  it('reads decoded parameters', () => {
    expect(pathParams('/v1/responses/:id', '/v1/responses/resp%2Fx')).toEqual({ id: 'resp/x' })
    expect(pathParams('/v1/responses/:id', '/v1/models/x')).toBeUndefined()
    expect(pathParams('/v1/responses/:id', '/v1/responses/%E0%A4%A')).toBeUndefined()
  })
})

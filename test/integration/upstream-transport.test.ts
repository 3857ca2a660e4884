import Anthropic from '@anthropic-ai/sdk'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream } from '../support/fake-upstream'
import { ACCESS_KEY, startServer } from '../support/server'

/** A self-signed certificate for 127.0.0.1, made with the system's openssl. */
function selfSigned() {
  const dir = mkdtempSync(join(tmpdir(), 'ccb-tls-'))
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' })
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }
}

describe('upstream transport settings', () => {
  let tls: Server
  let tlsUrl: string

  beforeAll(async () => {
    tls = createServer(selfSigned(), (req, res) => {
      req.resume()
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message('over TLS'))))
    })
    await new Promise<void>(r => tls.listen(0, '127.0.0.1', r))
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    tls.closeAllConnections()
    await new Promise(r => tls.close(r))
  })

  it('verifies upstream certificates unless the channel sets insecureSkipVerify', async () => {
    const channel = (insecureSkipVerify: boolean, id: string) => ({ id, name: id, serviceType: 'claude', baseUrl: tlsUrl, apiKeys: ['sk-ant-tls-key-000000000000'], insecureSkipVerify })
    const strict = await startServer({ config: { upstream: [channel(false, 'strict01')], failover: { rules: [{ errorCodes: '502', actionChain: [{ action: 'none' }] }] } } })
    const lax = await startServer({ config: { upstream: [channel(true, 'insecure1')] } })
    try {
      const refused = await fetch(`${strict.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: '{"model":"m","max_tokens":1,"messages":[]}' })
      expect(refused.status).toBe(502)
      expect(await refused.text()).toMatch(/unreachable.*(SELF_SIGNED|CERT|certificate)/i)
      const client = new Anthropic({ baseURL: lax.url, apiKey: ACCESS_KEY, maxRetries: 0 })
      const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      expect(m.content.at(-1)).toMatchObject({ text: 'over TLS' })
    }
    finally {
      await strict.stop()
      await lax.stop()
    }
  })

  it('gives up on a silent non-streaming upstream after REQUEST_TIMEOUT with a 504 timeout_error', async () => {
    const silent = await new FakeUpstream().start()
    silent.script(() => { /* never answers */ })
    const server = await startServer({
      config: { upstream: [{ id: 'slow0001', name: 'silent', serviceType: 'claude', baseUrl: silent.url, apiKeys: ['sk-ant-slow-key-0000000000'] }], failover: { rules: [{ errorCodes: '504', actionChain: [{ action: 'none' }] }] } },
      env: { REQUEST_TIMEOUT: '800' },
    })
    try {
      const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': ACCESS_KEY }, body: '{"model":"m","max_tokens":1,"messages":[]}' })
      expect(res.status).toBe(504)
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'timeout_error', message: expect.stringContaining('REQUEST_TIMEOUT') } })
      await silent.received[0]!.closed
      expect(silent.received[0]!.aborted()).toBe(true)
    }
    finally {
      await server.stop()
      await silent.stop()
    }
  })
})

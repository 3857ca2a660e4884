import Anthropic from '@anthropic-ai/sdk'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { FakeUpstream, json } from '../support/fake-upstream'
import { poll } from '../support/poll'
import { ACCESS_KEY, claudeConfig, startServer } from '../support/server'

let a: FakeUpstream
let b: FakeUpstream

beforeAll(async () => {
  a = await new FakeUpstream().start()
  b = await new FakeUpstream().start()
  a.script(json(200, message('from A')))
  b.script(json(200, message('from B')))
})
afterAll(async () => {
  await a?.stop()
  await b?.stop()
})

describe('access key at start-up', () => {
  it('generates a key on first start, stores it with mode 0600, prints it once, and uses it', async () => {
    const first = await startServer({ config: claudeConfig(a.url), env: { PROXY_ACCESS_KEY: undefined } })
    const configDir = first.configDir
    try {
      const file = join(configDir, 'access-key')
      const key = readFileSync(file, 'utf8').trim()
      expect(key.length).toBeGreaterThanOrEqual(32)
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(first.output()).toContain(key)
      const client = new Anthropic({ baseURL: first.url, apiKey: key, maxRetries: 0 })
      const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      expect(m.content.at(-1)).toMatchObject({ text: 'from A' })
    }
    finally {
      await first.stop()
    }
    const second = await startServer({ configDir, env: { PROXY_ACCESS_KEY: undefined } })
    try {
      const key = readFileSync(join(configDir, 'access-key'), 'utf8').trim()
      expect(second.output()).not.toContain(key)
      const ok = await fetch(`${second.url}/api/channels`, { headers: { 'x-api-key': key } })
      expect(ok.status).toBe(200)
    }
    finally {
      await second.stop()
    }
  })

  it('refuses to start with a key shorter than 16 characters', async () => {
    const s = await startServer({ config: claudeConfig(a.url), env: { PROXY_ACCESS_KEY: 'short-key' }, noWait: true })
    expect(await s.exited).not.toBe(0)
    expect(s.output()).toMatch(/PROXY_ACCESS_KEY must be at least 16 characters/)
  })

  it('refuses to start with a bad environment variable, naming it in one line', async () => {
    const s = await startServer({ config: claudeConfig(a.url), env: { LOG_LEVEL: 'verbose' }, noWait: true })
    expect(await s.exited).toBe(1)
    expect(s.output().trim()).toBe('[cc-bridge] cannot start: invalid environment: LOG_LEVEL: must be one of error, warn, info, debug, got "verbose"')
  })

  it('refuses to start with the Go cc-bridge\'s placeholder key', async () => {
    const s = await startServer({ config: claudeConfig(a.url), env: { PROXY_ACCESS_KEY: 'your-proxy-access-key' }, noWait: true })
    expect(await s.exited).toBe(1)
    expect(s.output()).toContain('PROXY_ACCESS_KEY is still the placeholder "your-proxy-access-key"')
  })
})

describe('config at start-up', () => {
  it('stops with a message that names the bad field', async () => {
    const config = claudeConfig(a.url)
    config.upstream[0]!.baseUrl = 'not a url'
    const s = await startServer({ config, noWait: true })
    expect(await s.exited).not.toBe(0)
    expect(s.output()).toContain('upstream[0].baseUrl')
  })

  it('stops on a file that is not JSON, saying so', async () => {
    const s = await startServer({ config: '{"upstream": [', noWait: true })
    expect(await s.exited).not.toBe(0)
    expect(s.output()).toMatch(/config\.json/)
  })

  it('loads a config.json written by the Go cc-bridge, generating and persisting missing ids', async () => {
    const goConfig = {
      upstream: [{ name: 'legacy', serviceType: 'claude', baseUrl: a.url, apiKeys: ['sk-ant-legacy-key-1234567890'], quotaType: 'requests', quotaLimit: 100, contentFilter: { enabled: false, rules: [] } }],
      loadBalance: 'failover',
      responsesUpstream: [],
      responsesLoadBalance: 'round-robin',
      geminiUpstream: [],
      debugLog: { enabled: false, fullRetentionHours: 24 },
      userAgent: { messages: { latest: 'claude-cli/2.1.12 (external, cli)' } },
    }
    const s = await startServer({ config: goConfig })
    try {
      const client = new Anthropic({ baseURL: s.url, apiKey: ACCESS_KEY, maxRetries: 0 })
      const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      expect(m.content.at(-1)).toMatchObject({ text: 'from A' })
      const saved = await poll(() => JSON.parse(readFileSync(join(s.configDir, 'config.json'), 'utf8')), c => Boolean(c.upstream[0].id))
      expect(saved.upstream[0].id).toMatch(/^[0-9a-f]{8}$/)
      expect(saved.upstream[0].quotaLimit).toBe(100)
      expect(saved.debugLog).toEqual(goConfig.debugLog)
      expect(saved.userAgent).toEqual(goConfig.userAgent)
      expect(saved.responsesLoadBalance).toBe('round-robin')
    }
    finally {
      await s.stop()
    }
  })
})

describe('hot reload', () => {
  it('routes to an edited config, and keeps the last good one on a bad edit', async () => {
    const s = await startServer({ config: claudeConfig(a.url) })
    const client = new Anthropic({ baseURL: s.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    const ask = async () => {
      const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      return (m.content.at(-1) as { text: string }).text
    }
    try {
      expect(await ask()).toBe('from A')
      const file = join(s.configDir, 'config.json')
      writeFileSync(file, JSON.stringify(claudeConfig(b.url), null, 2))
      expect(await poll(ask, answer => answer === 'from B')).toBe('from B')

      writeFileSync(file, '{"upstream": [{"name": 1}]}')
      const healthDetails = async () => (await fetch(`${s.url}/api/health/details`, { headers: { 'x-api-key': ACCESS_KEY } })).json()
      const details = await poll(healthDetails, d => d.configErrors.length > 0)
      expect(details.configErrors.join(' ')).toContain('upstream[0]')
      // The bad edit has been seen and refused; the last good config still routes.
      expect(await ask()).toBe('from B')
      expect(s.output()).toContain('upstream[0]')
    }
    finally {
      await s.stop()
    }
  })
})

describe('web UI switch', () => {
  it('serves the admin page by default and a JSON banner with ENABLE_WEB_UI=false', async () => {
    const on = await startServer({ config: claudeConfig(a.url) })
    try {
      const page = await fetch(`${on.url}/`)
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toContain('text/html')
    }
    finally {
      await on.stop()
    }
    const off = await startServer({ config: claudeConfig(a.url), env: { ENABLE_WEB_UI: 'false' } })
    try {
      const root = await fetch(`${off.url}/`)
      expect(await root.json()).toMatchObject({ name: 'cc-bridge', mode: 'API Only' })
      expect((await fetch(`${off.url}/`, { method: 'HEAD' })).status).toBe(200)
      const other = await fetch(`${off.url}/logs`)
      expect(other.status).toBe(404)
      const client = new Anthropic({ baseURL: off.url, apiKey: ACCESS_KEY, maxRetries: 0 })
      const m = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      expect(m.content.at(-1)).toMatchObject({ text: 'from A' })
    }
    finally {
      await off.stop()
    }
  })
})

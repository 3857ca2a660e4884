import { createServer } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import { afterEach, beforeEach } from 'vitest'
import { message } from './anthropic-fixtures'
import { FakeUpstream, json, type Handler } from './fake-upstream'
import { ACCESS_KEY, startServer } from './server'

/** A Claude channel whose id and key are derived from its name, so tests can refer to both. */
export function channel(name: string, baseUrl: string, over: Record<string, unknown> = {}) {
  return { id: `ch-${name}`, name, serviceType: 'claude', baseUrl, apiKeys: [keyOf(name)], status: 'active', ...over }
}

/** The `i`-th upstream key of a channel built by {@link channel}. */
export const keyOf = (name: string, i = 0) => `sk-ant-${name}-key-${i}-0123456789abcdef`

/** An upstream that answers every request with a message saying who it is. */
export const answersAs = (name: string): Handler => json(200, message(`from ${name}`))

/** The URL of a loopback port that was just free: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const s = createServer()
  await new Promise<void>(r => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as { port: number }
  await new Promise(r => s.close(r))
  return `http://127.0.0.1:${port}`
}

/** A JSON error in Anthropic's shape. */
export const fails = (status: number, headers: Record<string, string> = {}, error: Record<string, unknown> = { type: 'api_error', message: `upstream ${status}` }): Handler =>
  json(status, { type: 'error', error }, headers)

/** Claude Code's newer `metadata.user_id`: a JSON string naming device, account and session. */
export const claudeCodeUserId = (account: string, session = 'sess-1') =>
  JSON.stringify({ device_id: `dev-${account}`, account_uuid: account, session_id: session })

export interface Answer {
  status: number
  /** The channel the gateway says served the request (`x-cc-bridge-channel`). */
  channel: string | null
  /** The last text block of a successful answer. */
  text?: string
  body: string
  ms: number
}

/**
 * Starts the built server with this config (or the one already in `configDir`) and a 1 s
 * breaker recovery. `api` makes one admin call with the access key; `ask` makes one timed
 * `/v1/messages` call, where errors are answers too.
 */
export async function startGateway(config: unknown, env: Record<string, string> = {}, configDir?: string) {
  const server = await startServer({ config, configDir, env: { CIRCUIT_RECOVERY_SECONDS: '1', ...env } })
  const client = new Anthropic({ baseURL: server.url, apiKey: ACCESS_KEY, maxRetries: 0 })
  return {
    server,
    client,
    async api(method: string, path: string, body?: unknown) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.text()
      return { status: res.status, text, json: text ? JSON.parse(text) : undefined }
    },
    async ask({ userId, stream = false }: { userId?: string, stream?: boolean } = {}): Promise<Answer> {
      const started = performance.now()
      const res = await fetch(`${server.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model: 'claude-test-sonnet', max_tokens: 16, stream,
          messages: [{ role: 'user', content: 'hi' }],
          ...(userId === undefined ? {} : { metadata: { user_id: userId } }),
        }),
      })
      const body = await res.text()
      const header = res.headers.get('x-cc-bridge-channel')
      const text = res.ok && !stream ? (JSON.parse(body) as { content: { text?: string }[] }).content.at(-1)?.text : undefined
      return { status: res.status, channel: header && decodeURIComponent(header), text, body, ms: performance.now() - started }
    },
    stop: () => server.stop(),
  }
}

export type Gateway = Awaited<ReturnType<typeof startGateway>>

/**
 * Per test: fake upstreams `a` (unscripted) and `b` (answers as "B"), and `gw`, the gateway the
 * test starts; all stopped after it. A fresh server per test, because breaker windows, key
 * cooldowns and rule counters live in the server process and are what these tests are about.
 */
export function upstreamsPerTest() {
  const t = {} as { a: FakeUpstream, b: FakeUpstream, gw?: Gateway }
  beforeEach(async () => {
    t.a = await new FakeUpstream().start()
    t.b = (await new FakeUpstream().start()).script(answersAs('B'))
    t.gw = undefined
  })
  afterEach(async () => {
    await t.gw?.stop()
    await t.a.stop()
    await t.b.stop()
  })
  return t
}

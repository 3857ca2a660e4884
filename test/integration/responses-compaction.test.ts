import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { message, textStream } from '../support/anthropic-fixtures'
import { FakeUpstream, json, stream, type Handler } from '../support/fake-upstream'
import { chatCompletion, chatTextStream } from '../support/openai-fixtures'
import { messageItem, responseObject } from '../support/responses-fixtures'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

type Item = Record<string, unknown>

const SUMMARY = 'SUMMARY-7731: the user wants hello.py fixed; next, patch the typo.'
const PROMPT_MARK = 'Context checkpoint'

const channel = (serviceType: string, baseUrl: string) => ({
  id: `cmp-${serviceType}`, name: serviceType, serviceType, baseUrl, apiKeys: [`sk-upstream-${serviceType}-00000001`], status: 'active',
})

const client = (server: RunningServer) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey: ACCESS_KEY, maxRetries: 0 })

/** A Chat or Anthropic upstream playing the model: a summary when asked for one, a plain answer otherwise. */
function model(serviceType: 'openai' | 'claude'): Handler {
  return (req, res) => {
    const body = JSON.parse(req.body) as { stream?: boolean }
    const text = req.body.includes(PROMPT_MARK) ? SUMMARY : 'carrying on'
    if (serviceType === 'openai') return body.stream ? stream(chatTextStream([text.slice(0, 10), text.slice(10)]))(req, res) : json(200, chatCompletion(text))(req, res)
    return body.stream ? stream(textStream([text.slice(0, 10), text.slice(10)]))(req, res) : json(200, message(text))(req, res)
  }
}

const history: Item[] = [
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix hello.py' }] },
  { type: 'function_call', call_id: 'call_1', name: 'exec_command', arguments: '{"cmd":"cat hello.py"}' },
  { type: 'function_call_output', call_id: 'call_1', output: 'print("helo")' },
]
const tools = [{ type: 'function', name: 'exec_command', parameters: { type: 'object', properties: { cmd: { type: 'string' } } }, strict: false }]

/** Everything the upstream was sent, as text: where the summary or the prompt must (not) be. */
const sentText = (up: FakeUpstream, i: number) => up.received[i]!.body

describe('remote compaction emulated on converted channels', () => {
  let up: FakeUpstream
  const servers: RunningServer[] = []
  /** A cc-bridge over the channels; `configDir` of an earlier one shares its compaction key. */
  const start = async (channels: ReturnType<typeof channel>[], configDir?: string) => {
    const s = await startServer({ config: { upstream: [], responsesUpstream: channels, responsesLoadBalance: 'failover' }, configDir })
    servers.push(s)
    return s
  }

  beforeAll(async () => {
    up = await new FakeUpstream().start()
  })
  beforeEach(() => up.reset())
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()))
    await up?.stop()
  })

  for (const serviceType of ['openai', 'claude'] as const) {
    it(`answers /responses/compact on a ${serviceType} channel with one sealed item, and replays its summary next turn`, async () => {
      up.script(model(serviceType))
      const openai = client(await start([channel(serviceType, up.url)]))
      const compacted = await openai.responses.compact({ model: 'gpt-5-codex', input: history as never, tools } as never)
      expect(compacted.object).toBe('response.compaction')
      // The user's messages, then one compaction item only this cc-bridge can open.
      expect(compacted.output.map(i => i.type)).toEqual(['message', 'compaction'])
      const item = compacted.output[1] as unknown as Item
      expect(String(item.encrypted_content)).toMatch(/^ccb1\./)
      expect(JSON.stringify(compacted)).not.toContain('SUMMARY-7731')

      // The channel was asked for a summary of the conversation, the request converted to its protocol.
      const asked = JSON.parse(sentText(up, 0)) as Item
      expect(up.received[0]!.url).toBe(serviceType === 'openai' ? '/v1/chat/completions' : '/v1/messages')
      expect(JSON.stringify(asked)).toContain(PROMPT_MARK)
      expect(JSON.stringify(asked)).toContain('print(\\"helo\\")')

      // Codex's next turn carries the compacted history: the summary reaches the upstream as text.
      const next = await openai.responses.create({ model: 'gpt-5-codex', store: false, input: [...compacted.output, { type: 'message', role: 'user', content: 'go on' }] as never })
      expect(next.output_text).toBe('carrying on')
      const replayed = sentText(up, 1)
      expect(replayed).toContain('SUMMARY-7731')
      expect(replayed).not.toContain('ccb1.')
      expect(replayed).not.toContain(PROMPT_MARK)
    })
  }

  it('answers a compaction_trigger with exactly one compaction item, as JSON and as a stream', async () => {
    up.script(model('openai'))
    const openai = client(await start([channel('openai', up.url)]))
    const input = [...history, { type: 'compaction_trigger' }] as never
    const plain = await openai.responses.create({ model: 'gpt-5-codex', store: false, input, tools: tools as never })
    expect(plain.status).toBe('completed')
    expect(plain.output.map(i => i.type)).toEqual(['compaction'])
    expect(sentText(up, 0)).not.toContain('compaction_trigger')

    up.reset()
    up.script(model('claude'))
    const claude = client(await start([channel('claude', up.url)]))
    const events: { type: string, item?: Item, response?: { output: Item[] } }[] = []
    for await (const ev of await claude.responses.create({ model: 'gpt-5-codex', store: false, input, stream: true })) events.push(ev as never)
    expect(events.map(e => e.type)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.output_item.done', 'response.completed'])
    const done = events[3]!.item!
    expect(done).toMatchObject({ type: 'compaction', encrypted_content: expect.stringMatching(/^ccb1\./) })
    expect(events[4]!.response!.output).toEqual([done])
    expect(JSON.parse(sentText(up, 0))).toMatchObject({ stream: true })

    // The sealed item opens on the next turn.
    await claude.responses.create({ model: 'gpt-5-codex', store: false, input: [done, { type: 'message', role: 'user', content: 'go on' }] as never })
    expect(sentText(up, 1)).toContain('SUMMARY-7731')
  })

  it('keeps a compacted turn and continues from it with previous_response_id, the summary replayed', async () => {
    up.script(model('openai'))
    const openai = client(await start([channel('openai', up.url)]))
    const compacted = await openai.responses.create({ model: 'gpt-5-codex', input: [...history, { type: 'compaction_trigger' }] as never })
    expect(compacted.output.map(i => i.type)).toEqual(['compaction'])
    const items = await openai.responses.inputItems.list(compacted.id, { order: 'asc' })
    expect(items.data.map(i => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'compaction_trigger'])
    const next = await openai.responses.create({ model: 'gpt-5-codex', previous_response_id: compacted.id, input: 'go on' })
    expect(next.output_text).toBe('carrying on')
    const sent = sentText(up, 1)
    expect(sent).toContain('SUMMARY-7731')
    expect(sent).not.toContain('ccb1.')
    // The summary stands for what came before it: the compacted turns are not sent again.
    expect(sent).not.toContain('cat hello.py')
  })

  it('refuses a tampered compaction item with a 400 in OpenAI\'s shape, before any upstream call', async () => {
    up.script(model('openai'))
    const openai = client(await start([channel('openai', up.url)]))
    const compacted = await openai.responses.compact({ model: 'gpt-5-codex', input: history as never })
    const item = compacted.output.at(-1) as unknown as Item
    const content = String(item.encrypted_content)
    const tampered = { ...item, encrypted_content: `${content.slice(0, 12)}${content[12] === 'A' ? 'B' : 'A'}${content.slice(13)}` }
    up.reset()
    await expect(openai.responses.create({ model: 'gpt-5-codex', input: [tampered, { type: 'message', role: 'user', content: 'go on' }] as never }))
      .rejects.toMatchObject({ status: 400, error: { type: 'invalid_request_error', code: 'invalid_encrypted_content' } })
    await expect(openai.responses.compact({ model: 'gpt-5-codex', input: [tampered] as never })).rejects.toMatchObject({ status: 400 })
    expect(up.received).toHaveLength(0)

    // A compact call that asks for a stream still gets its one JSON object.
    up.script(model('openai'))
    const raw = await fetch(`${servers.at(-1)!.url}/v1/responses/compact`, {
      method: 'POST', headers: { 'authorization': `Bearer ${ACCESS_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5-codex', input: history, stream: true }),
    })
    expect(raw.status).toBe(200)
    expect(await raw.json()).toMatchObject({ object: 'response.compaction' })
    expect(JSON.parse(sentText(up, 0)).stream).toBeUndefined()
  })

  it('drops another provider\'s compaction item for a converted channel, and opens ours for a native one', async () => {
    up.script(model('openai'))
    const first = await start([channel('openai', up.url)])
    const openai = client(first)
    const compacted = await openai.responses.compact({ model: 'gpt-5-codex', input: history as never })
    const ours = compacted.output.at(-1)
    await openai.responses.create({ model: 'gpt-5-codex', store: false, input: [{ type: 'compaction', id: 'cmp_native', encrypted_content: 'gAAAA-native-blob' }, { type: 'message', role: 'user', content: 'hi' }] as never })
    expect(sentText(up, 1)).not.toContain('gAAAA-native-blob')

    const native = new FakeUpstream()
    await native.start()
    try {
      native.script(json(200, responseObject('resp_n1', [messageItem('native answer')])))
      // The same cc-bridge (its key in CONFIG_DIR), now with a native channel.
      await first.stop()
      const nativeClient = client(await start([channel('responses', native.url)], first.configDir))
      await nativeClient.responses.create({ model: 'gpt-5-codex', store: false, input: [ours, { type: 'message', role: 'user', content: 'hi' }] as never })
      const sent = JSON.parse(native.received[0]!.body) as { input: Item[] }
      expect(sent.input.map(i => i.type)).toEqual(['message', 'message'])
      expect(JSON.stringify(sent.input[0])).toContain('SUMMARY-7731')
    }
    finally {
      await native.stop()
    }
  })
})

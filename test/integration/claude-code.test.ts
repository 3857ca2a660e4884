import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageEnd, messageStart } from '../support/anthropic-fixtures'
import { FakeUpstream, sseEvent, stream, type Handler } from '../support/fake-upstream'
import { chunk, DONE, usageChunk } from '../support/openai-fixtures'
import { functionCallItem, messageItem, responseStream } from '../support/responses-fixtures'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

const CLAUDE = resolve(import.meta.dirname, '../../node_modules/.bin/claude')
const MARKER = 'bridged-ok-7731'
const PROMPT = 'please run the echo command'

/**
 * Runs the real Claude Code CLI (`claude -p`) against cc-bridge, allowed to use Bash, with a
 * private HOME so nothing of this machine's own setup is read.
 */
async function claudeCode(baseUrl: string): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'ccb-claude-home-'))
  const { stdout } = await promisify(execFile)(CLAUDE, ['-p', PROMPT, '--allowedTools', 'Bash', '--model', 'claude-test-model'], {
    cwd: home,
    timeout: 90_000,
    env: {
      PATH: process.env.PATH, HOME: home,
      ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_AUTH_TOKEN: ACCESS_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1',
    },
  })
  return stdout
}

/** What the scripted model does: ask for Bash first, then report what the tool printed. */
function turn(body: string): 'tool' | 'answer' | 'other' {
  if (body.includes('"tool_result"') || body.includes('"role":"tool"') || body.includes('"function_call_output"')) return 'answer'
  return body.includes(PROMPT) ? 'tool' : 'other'
}

const toolOutput = (body: string) => (body.includes(MARKER) ? MARKER : 'no tool output seen')

/** An Anthropic upstream playing the model, with tool input split across deltas. */
const anthropicModel: Handler = (req, res) => {
  if (req.url.includes('count_tokens')) {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"input_tokens":42}')
    return
  }
  const kind = turn(req.body)
  const frames = kind === 'tool'
    ? [
        messageStart('claude-test-model'),
        sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_cc1', name: 'Bash', input: {} } }),
        ...['{"comm', `and": "echo ${MARKER}"`, ', "description": "Print a marker"}'].map(partial_json =>
          sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } })),
        sseEvent({ type: 'content_block_stop', index: 0 }),
        ...messageEnd('tool_use', 20),
      ]
    : [
        messageStart('claude-test-model'),
        sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: kind === 'answer' ? `The tool printed: ${toolOutput(req.body)}` : 'ok' } }),
        sseEvent({ type: 'content_block_stop', index: 0 }),
        ...messageEnd(),
      ]
  return stream(frames)(req, res)
}

/** An OpenAI-compatible upstream playing the same model, reached through conversion. */
const openaiModel: Handler = (req, res) => {
  const kind = turn(req.body)
  const frames = kind === 'tool'
    ? [
        chunk({ role: 'assistant', content: null }),
        chunk({ tool_calls: [{ index: 0, id: 'call_cc1', type: 'function', function: { name: 'Bash', arguments: '' } }] }),
        ...['{"command":', ` "echo ${MARKER}",`, ' "description": "Print a marker"}'].map(args => chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] })),
        chunk({}, 'tool_calls'), usageChunk(900, 20), DONE,
      ]
    : [chunk({ role: 'assistant', content: '' }), chunk({ content: kind === 'answer' ? `The tool printed: ${toolOutput(req.body)}` : 'ok' }), chunk({}, 'stop'), usageChunk(950, 9), DONE]
  return stream(frames)(req, res)
}

/** A Responses API upstream (a model only served there) playing the same model. */
const responsesModel: Handler = (req, res) => {
  const kind = turn(req.body)
  const items = kind === 'tool'
    ? [functionCallItem('call_cc3', 'Bash', JSON.stringify({ command: `echo ${MARKER}`, description: 'Print a marker' }))]
    : [messageItem(kind === 'answer' ? `The tool printed: ${toolOutput(req.body)}` : 'ok')]
  return stream(responseStream(`resp_cc_${kind}`, items))(req, res)
}

describe('the real Claude Code CLI through cc-bridge', () => {
  let upstream: FakeUpstream
  const servers: RunningServer[] = []

  beforeAll(async () => {
    upstream = await new FakeUpstream().start()
  })
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()))
    await upstream?.stop()
  })

  it('runs a Bash tool loop on a Claude channel', async () => {
    upstream.reset()
    upstream.script(anthropicModel)
    const server = await startServer({ config: { upstream: [{ id: 'cc000001', name: 'anthropic', serviceType: 'claude', baseUrl: upstream.url, apiKeys: ['sk-ant-upstream-cc-000000000001'] }] } })
    servers.push(server)
    const out = await claudeCode(server.url)
    expect(out).toContain(`The tool printed: ${MARKER}`)
    const turns = upstream.received.filter(r => r.url.startsWith('/v1/messages?beta=true')).map(r => turn(r.body))
    expect(turns).toContain('tool')
    expect(turns).toContain('answer')
    expect(upstream.received.every(r => r.headers['x-api-key'] === 'sk-ant-upstream-cc-000000000001')).toBe(true)
  }, 120_000)

  it('runs the same loop on an OpenAI-compatible channel, converted both ways', async () => {
    upstream.reset()
    upstream.script(openaiModel)
    const server = await startServer({ config: { upstream: [{ id: 'cc000002', name: 'deepseek', serviceType: 'openai', baseUrl: upstream.url, apiKeys: ['sk-deepseek-upstream-000000001'] }] } })
    servers.push(server)
    const out = await claudeCode(server.url)
    expect(out).toContain(`The tool printed: ${MARKER}`)
    const answer = upstream.received.find(r => turn(r.body) === 'answer')!
    const sent = JSON.parse(answer.body) as { messages: { role: string, tool_call_id?: string, content?: unknown }[] }
    const tool = sent.messages.find(m => m.role === 'tool')!
    expect(tool.tool_call_id).toBe('call_cc1')
    expect(JSON.stringify(tool.content)).toContain(MARKER)
  }, 120_000)

  it('runs the same loop on a responses channel (a model only served by the Responses API)', async () => {
    upstream.reset()
    upstream.script(responsesModel)
    const server = await startServer({ config: { upstream: [{ id: 'cc000003', name: 'codex-model', serviceType: 'responses', baseUrl: upstream.url, apiKeys: ['sk-openai-upstream-000000000001'] }] } })
    servers.push(server)
    const out = await claudeCode(server.url)
    expect(out).toContain(`The tool printed: ${MARKER}`)
    expect(upstream.received.every(r => r.url === '/v1/responses')).toBe(true)
    const answer = upstream.received.find(r => turn(r.body) === 'answer')!
    const sent = JSON.parse(answer.body) as { input: { type: string, call_id?: string, output?: unknown }[], store?: boolean }
    const output = sent.input.find(i => i.type === 'function_call_output')!
    expect(output.call_id).toBe('call_cc3')
    expect(JSON.stringify(output.output)).toContain(MARKER)
    expect(sent.store).toBe(false)
  }, 120_000)
})

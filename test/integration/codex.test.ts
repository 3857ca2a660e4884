import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messageEnd, messageStart } from '../support/anthropic-fixtures'
import { FakeUpstream, sseEvent, stream, type Handler } from '../support/fake-upstream'
import { chunk, DONE, usageChunk } from '../support/openai-fixtures'
import { functionCallItem, messageItem, responseStream } from '../support/responses-fixtures'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

const CODEX = resolve(import.meta.dirname, '../../node_modules/.bin/codex')
const MARKER = 'codex-bridged-4419'
const PROMPT = 'please run the echo command'
const COMMAND = `echo ${MARKER}`

/**
 * Runs the real Codex CLI (`codex exec`) against cc-bridge as a custom Responses provider, with
 * a private CODEX_HOME and HOME so nothing of this machine's own setup is read, no approvals
 * and no sandbox (the test's own temporary folder is its workspace).
 */
async function codexExec(baseUrl: string): Promise<{ stdout: string, stderr: string }> {
  const home = mkdtempSync(join(tmpdir(), 'ccb-codex-home-'))
  const codexHome = join(home, '.codex')
  const work = join(home, 'work')
  mkdirSync(codexHome)
  mkdirSync(work)
  writeFileSync(join(codexHome, 'config.toml'), [
    'model = "gpt-test-codex"',
    'model_provider = "ccbridge"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    '',
    '[model_providers.ccbridge]',
    'name = "cc-bridge"',
    `base_url = "${baseUrl}/v1"`,
    'env_key = "CC_BRIDGE_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
    '',
  ].join('\n'))
  const run = promisify(execFile)(CODEX, ['exec', '--skip-git-repo-check', '--color', 'never', '-C', work, PROMPT], {
    cwd: work,
    timeout: 90_000,
    env: { PATH: process.env.PATH, HOME: home, CODEX_HOME: codexHome, CC_BRIDGE_KEY: ACCESS_KEY, RUST_LOG: 'error' },
  })
  // `codex exec` also reads a prompt from stdin until it closes.
  run.child.stdin?.end()
  return run
}

/** What the scripted model does: ask for the shell first, then report what the tool printed. */
function turn(body: string): 'tool' | 'answer' | 'other' {
  if (body.includes('"function_call_output"') || body.includes('"tool_result"') || body.includes('"role":"tool"')) return 'answer'
  return body.includes(PROMPT) ? 'tool' : 'other'
}

const finalText = (body: string) => `The tool printed: ${body.includes(MARKER) ? MARKER : 'no tool output seen'}`

/** A native Responses upstream playing the model: the tool call comes as a complete item in `output_item.done`. */
const responsesModel: Handler = (req, res) => {
  const kind = turn(req.body)
  const items = kind === 'tool'
    ? [functionCallItem('call_codex1', 'exec_command', JSON.stringify({ cmd: COMMAND }))]
    : [messageItem(kind === 'answer' ? finalText(req.body) : 'ok')]
  return stream(responseStream(`resp_codex_${kind}_${Date.now()}`, items))(req, res)
}

/** An OpenAI-compatible Chat upstream playing the same model, reached through conversion. */
const chatModel: Handler = (req, res) => {
  const kind = turn(req.body)
  const frames = kind === 'tool'
    ? [
        chunk({ role: 'assistant', content: null }),
        chunk({ tool_calls: [{ index: 0, id: 'call_codex1', type: 'function', function: { name: 'exec_command', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify({ cmd: COMMAND }) } }] }),
        chunk({}, 'tool_calls'), usageChunk(900, 20), DONE,
      ]
    : [chunk({ role: 'assistant', content: '' }), chunk({ content: kind === 'answer' ? finalText(req.body) : 'ok' }), chunk({}, 'stop'), usageChunk(950, 9), DONE]
  return stream(frames)(req, res)
}

/** An Anthropic upstream playing the same model, reached through conversion. */
const anthropicModel: Handler = (req, res) => {
  const kind = turn(req.body)
  const frames = kind === 'tool'
    ? [
        messageStart('gpt-test-codex'),
        sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_codex1', name: 'exec_command', input: {} } }),
        sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify({ cmd: COMMAND }) } }),
        sseEvent({ type: 'content_block_stop', index: 0 }),
        ...messageEnd('tool_use', 20),
      ]
    : [
        messageStart('gpt-test-codex'),
        sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
        sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: kind === 'answer' ? finalText(req.body) : 'ok' } }),
        sseEvent({ type: 'content_block_stop', index: 0 }),
        ...messageEnd(),
      ]
  return stream(frames)(req, res)
}

/** Where the tool's output travels back in each channel protocol's second request. */
function toolOutputSent(serviceType: string, body: string): string {
  const sent = JSON.parse(body) as Record<string, unknown>
  if (serviceType === 'responses') {
    const items = sent.input as { type: string, call_id?: string, output?: unknown }[]
    const out = items.find(i => i.type === 'function_call_output')!
    expect(out.call_id).toBe('call_codex1')
    return JSON.stringify(out.output)
  }
  if (serviceType === 'openai') {
    const tool = (sent.messages as { role: string, tool_call_id?: string, content?: unknown }[]).find(m => m.role === 'tool')!
    expect(tool.tool_call_id).toBe('call_codex1')
    return JSON.stringify(tool.content)
  }
  return JSON.stringify(sent.messages)
}

/**
 * The channel types Codex can be served through. Native `responses` runs now; the converted
 * ones wait for the Responses converters (responsesToChat, responsesToAnthropic) to be wired
 * into the RESPONSES pool route, and are then enabled by setting `ready: true`.
 */
const CHANNELS = [
  { serviceType: 'responses', model: responsesModel, key: 'sk-upstream-codex-native-0001', ready: true },
  { serviceType: 'openai', model: chatModel, key: 'sk-upstream-codex-chat-000001', ready: true },
  { serviceType: 'claude', model: anthropicModel, key: 'sk-ant-upstream-codex-000001', ready: true },
] as const

describe('the real Codex CLI through cc-bridge', () => {
  let upstream: FakeUpstream
  const servers: RunningServer[] = []

  beforeAll(async () => {
    upstream = await new FakeUpstream().start()
  })
  afterAll(async () => {
    await Promise.all(servers.map(s => s.stop()))
    await upstream?.stop()
  })

  for (const channel of CHANNELS) {
    const name = `runs an exec_command tool loop on a ${channel.serviceType} channel`
    const test = channel.ready ? it : it.skip
    test(channel.ready ? name : `${name} (skipped until the Responses converter for ${channel.serviceType} channels is wired)`, async () => {
      upstream.reset()
      upstream.script(channel.model)
      const server = await startServer({
        config: {
          upstream: [],
          responsesUpstream: [{ id: `codex-${channel.serviceType}`, name: channel.serviceType, serviceType: channel.serviceType, baseUrl: upstream.url, apiKeys: [channel.key] }],
        },
      })
      servers.push(server)
      const { stdout, stderr } = await codexExec(server.url)
      expect(stdout, stderr).toContain(`The tool printed: ${MARKER}`)

      const turns = upstream.received.map(r => turn(r.body))
      expect(turns).toEqual(['tool', 'answer'])
      const [first, second] = upstream.received
      if (channel.serviceType === 'responses') {
        // What Codex sends, passed through untouched: its whole history every turn, nothing stored.
        expect(first!.url).toBe('/v1/responses')
        const body = JSON.parse(first!.body) as Record<string, unknown>
        expect(body).toMatchObject({ model: 'gpt-test-codex', stream: true, store: false })
        expect(body.previous_response_id).toBeUndefined()
        expect(first!.headers.authorization).toBe(`Bearer ${channel.key}`)
        expect(String(first!.headers['user-agent'])).toMatch(/^codex_exec\//)
        // Its session headers reach the upstream unchanged (the upstream pins its prompt cache on them).
        expect(first!.headers['session-id']).toBe(body.prompt_cache_key)
        expect(first!.headers['thread-id']).toBeTruthy()
        expect(first!.headers['x-codex-window-id']).toBeTruthy()
        expect(first!.headers['x-client-request-id']).toBeTruthy()
      }
      expect(toolOutputSent(channel.serviceType, second!.body)).toContain(MARKER)
    }, 120_000)
  }
})

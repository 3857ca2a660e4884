// A fake upstream for the benchmark, speaking the three protocols cc-bridge relays: POST
// /v1/messages (Anthropic), POST /v1/chat/completions (OpenAI Chat) and POST /v1/responses (OpenAI
// Responses) answer with a fixed message, or a short SSE stream written in one go, so its own cost
// stays small and constant. The answers carry the same text in the same number of pieces, so
// passthrough and conversion move the same content.
import { createServer } from 'node:http'
import { isMain, reportListening } from './child.mjs'

/** The only upstream keys the fake accepts (on every path); a proxy must swap the client's key for one. */
export const UPSTREAM_KEY_PREFIX = 'sk-ant-bench-'
/**
 * Keys for OpenAI channels: cc-bridge sends `sk-ant-…` keys as x-api-key on passthrough, which
 * /v1/responses (Bearer only, like OpenAI) refuses.
 */
export const OPENAI_KEY_PREFIX = 'sk-bench-'

/**
 * What an answer says, in the pieces it is streamed in: every protocol's answers, JSON and
 * stream, are written from one of these, so passthrough and conversion move the same content.
 * `usage` counts tokens the Anthropic way (input without the cache); the OpenAI answers add the
 * cache to their input, as OpenAI does.
 */
const MINIMAL = {
  text: ['Hello!', ' How can', ' I help', ' you today?'],
  usage: { input: 8, output: 10, cacheWrite: 0, cacheRead: 0 },
}

/**
 * An agent's turn (`--answers agent`): thinking with its signature, a paragraph of text, then a
 * Bash tool call streamed in argument fragments; the prompt written to the cache, as on a first
 * turn of Claude Code, and reasoning tokens counted.
 */
const AGENT = {
  thinking: Array.from({ length: 12 }, (_, i) => `Step ${i + 1}: the user wants the failing test fixed, so I look at it first. `),
  signature: 'EqQBCkYIBxgCKkA'.padEnd(400, 'x7Qm'),
  text: ['Hello!', ...Array.from({ length: 24 }, (_, i) => ` I will read the test output first (part ${i + 1}), then change only what it needs.`)],
  tool: {
    id: 'toolu_bench_00000000000000000001',
    name: 'Bash',
    args: ['{"comm', 'and": "npm', ' test -- ', 'test/unit/', 'log.test.ts', ' 2>&1 | t', 'ail -40", ', '"descript', 'ion": "Run the failing', ' test"}'],
  },
  usage: { input: 3, output: 412, cacheWrite: 21_870, cacheRead: 0, cacheWrite1h: 0, reasoning: 160 },
}

function sse(event, data) {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

/** Anthropic's usage object; `cache_creation` (the write's lifetimes) only when the content says. */
function anthropicUsage(u, output = u.output) {
  const usage = { input_tokens: u.input, output_tokens: output, cache_creation_input_tokens: u.cacheWrite, cache_read_input_tokens: u.cacheRead }
  if (u.cacheWrite1h !== undefined) usage.cache_creation = { ephemeral_5m_input_tokens: u.cacheWrite - u.cacheWrite1h, ephemeral_1h_input_tokens: u.cacheWrite1h }
  return usage
}

/** POST /v1/messages: the message, and its stream block by block. */
function messagesAnswers(c) {
  const blocks = []
  if (c.thinking) blocks.push({ start: { type: 'thinking', thinking: '', signature: '' }, deltas: [...c.thinking.map(thinking => ({ type: 'thinking_delta', thinking })), { type: 'signature_delta', signature: c.signature }], whole: { type: 'thinking', thinking: c.thinking.join(''), signature: c.signature } })
  blocks.push({ start: { type: 'text', text: '' }, deltas: c.text.map(text => ({ type: 'text_delta', text })), whole: { type: 'text', text: c.text.join('') } })
  if (c.tool) blocks.push({ start: { type: 'tool_use', id: c.tool.id, name: c.tool.name, input: {} }, deltas: c.tool.args.map(partial_json => ({ type: 'input_json_delta', partial_json })), whole: { type: 'tool_use', id: c.tool.id, name: c.tool.name, input: JSON.parse(c.tool.args.join('')) } })
  const stopReason = c.tool ? 'tool_use' : 'end_turn'
  const message = (id, content, stop_reason, usage) => ({ id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason, stop_sequence: null, usage })
  return {
    json: JSON.stringify(message('msg_bench_0000000000000000', blocks.map(b => b.whole), stopReason, anthropicUsage(c.usage))),
    stream: [
      sse('message_start', { type: 'message_start', message: message('msg_bench_0000000000000001', [], null, anthropicUsage(c.usage, 1)) }),
      ...blocks.flatMap((b, index) => [
        sse('content_block_start', { type: 'content_block_start', index, content_block: b.start }),
        ...b.deltas.map(delta => sse('content_block_delta', { type: 'content_block_delta', index, delta })),
        sse('content_block_stop', { type: 'content_block_stop', index }),
      ]),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: c.usage.output } }),
      sse('message_stop', { type: 'message_stop' }),
    ].join(''),
  }
}

/** POST /v1/chat/completions (thinking is not part of Chat; its tokens are in the usage). */
function chatAnswers(c) {
  const base = { id: 'chatcmpl-bench0000000000000000', created: 1770933892, model: 'gpt-4.1-2025-04-14', system_fingerprint: 'fp_bench' }
  const prompt = c.usage.input + c.usage.cacheWrite + c.usage.cacheRead
  const usage = { prompt_tokens: prompt, completion_tokens: c.usage.output, total_tokens: prompt + c.usage.output, prompt_tokens_details: { cached_tokens: c.usage.cacheRead } }
  if (c.usage.reasoning !== undefined) usage.completion_tokens_details = { reasoning_tokens: c.usage.reasoning }
  const toolCall = c.tool && { id: c.tool.id, type: 'function', function: { name: c.tool.name, arguments: c.tool.args.join('') } }
  const finish = c.tool ? 'tool_calls' : 'stop'
  const chunk = (choices, u = null) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, usage: u })}\n\n`
  const delta = (d, finishReason = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finishReason }])
  return {
    json: JSON.stringify({
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: c.text.join(''), refusal: null, ...(toolCall && { tool_calls: [toolCall] }) }, logprobs: null, finish_reason: finish }],
      usage,
    }),
    // What OpenAI sends with stream_options.include_usage (which cc-bridge asks for): role, the
    // text pieces, the tool call's head then its argument fragments, the finish chunk, then usage
    // on a chunk without choices, and [DONE].
    stream: [
      delta({ role: 'assistant', content: '' }),
      ...c.text.map(content => delta({ content })),
      ...(c.tool
        ? [delta({ tool_calls: [{ index: 0, ...toolCall, function: { name: c.tool.name, arguments: '' } }] }), ...c.tool.args.map(a => delta({ tool_calls: [{ index: 0, function: { arguments: a } }] }))]
        : []),
      delta({}, finish),
      chunk([], usage),
      'data: [DONE]\n\n',
    ].join(''),
  }
}

/** POST /v1/responses: the response, and its stream as OpenAI sends it (every event named in its `type`, numbered). */
function responsesAnswers(c) {
  const u = c.usage
  const input = u.input + u.cacheWrite + u.cacheRead
  const usage = { input_tokens: input, input_tokens_details: { cached_tokens: u.cacheRead }, output_tokens: u.output, output_tokens_details: { reasoning_tokens: u.reasoning ?? 0 }, total_tokens: input + u.output }
  const response = (status, output, usage) => ({
    id: 'resp_bench0000000000000000', object: 'response', created_at: 1770933892, status, error: null, incomplete_details: null,
    model: 'gpt-4.1-2025-04-14', output, parallel_tool_calls: true, previous_response_id: null, store: false, usage,
  })
  const items = []
  const events = []
  if (c.thinking) {
    const item = { id: 'rs_bench0000000000000000', type: 'reasoning', summary: [{ type: 'summary_text', text: c.thinking.join('') }], encrypted_content: c.signature }
    const at = { item_id: item.id, output_index: items.length, summary_index: 0 }
    events.push(
      { type: 'response.output_item.added', output_index: at.output_index, item: { ...item, summary: [] } },
      { type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } },
      ...c.thinking.map(delta => ({ type: 'response.reasoning_summary_text.delta', ...at, delta })),
      { type: 'response.reasoning_summary_text.done', ...at, text: item.summary[0].text },
      { type: 'response.reasoning_summary_part.done', ...at, part: item.summary[0] },
      { type: 'response.output_item.done', output_index: at.output_index, item },
    )
    items.push(item)
  }
  const part = { type: 'output_text', annotations: [], logprobs: [], text: c.text.join('') }
  const message = { id: 'msg_bench0000000000000000', type: 'message', status: 'completed', role: 'assistant', content: [part] }
  const at = { item_id: message.id, output_index: items.length, content_index: 0 }
  events.push(
    { type: 'response.output_item.added', output_index: at.output_index, item: { ...message, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', ...at, part: { ...part, text: '' } },
    ...c.text.map(delta => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text: part.text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part },
    { type: 'response.output_item.done', output_index: at.output_index, item: message },
  )
  items.push(message)
  if (c.tool) {
    const call = { id: 'fc_bench0000000000000000', type: 'function_call', status: 'completed', arguments: c.tool.args.join(''), call_id: c.tool.id, name: c.tool.name }
    const at = { item_id: call.id, output_index: items.length }
    events.push(
      { type: 'response.output_item.added', output_index: at.output_index, item: { ...call, status: 'in_progress', arguments: '' } },
      ...c.tool.args.map(delta => ({ type: 'response.function_call_arguments.delta', ...at, delta })),
      { type: 'response.function_call_arguments.done', ...at, arguments: call.arguments },
      { type: 'response.output_item.done', output_index: at.output_index, item: call },
    )
    items.push(call)
  }
  return {
    json: JSON.stringify(response('completed', items, usage)),
    stream: [
      { type: 'response.created', response: response('in_progress', [], null) },
      { type: 'response.in_progress', response: response('in_progress', [], null) },
      ...events,
      { type: 'response.completed', response: response('completed', items, usage) },
    ].map(({ type, ...rest }, i) => sse(type, { type, sequence_number: i, ...rest })).join(''),
  }
}

/** The answers the fake can give (`--answers NAME`, default minimal). */
export const ANSWERS = { minimal: MINIMAL, agent: AGENT }

const ERROR_401 = JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } })
const CHAT_ERROR_401 = JSON.stringify({ error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } })
const NOT_FOUND = '{"type":"error","error":{"type":"not_found_error","message":"not found"}}'

const withPrefix = key => typeof key === 'string' && (key.startsWith(UPSTREAM_KEY_PREFIX) || key.startsWith(OPENAI_KEY_PREFIX))

/** Anthropic channels may authenticate either way (x-api-key, or Bearer for compatible gateways). */
function hasUpstreamKey(headers) {
  return withPrefix(headers['x-api-key'] ?? headers.authorization?.replace(/^Bearer\s+/i, ''))
}

/** OpenAI only takes `Authorization: Bearer`: a key sent as x-api-key means the wrong header scheme. */
function hasBearerKey(headers) {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')
  return withPrefix(match?.[1]) && headers['x-api-key'] === undefined
}

/** Per path: the key check and the answers, for one of {@link ANSWERS}. */
function routes(content) {
  return new Map(Object.entries({
    '/v1/messages': { authorized: hasUpstreamKey, unauthorized: ERROR_401, ...messagesAnswers(content) },
    '/v1/chat/completions': { authorized: hasBearerKey, unauthorized: CHAT_ERROR_401, ...chatAnswers(content) },
    '/v1/responses': { authorized: hasBearerKey, unauthorized: CHAT_ERROR_401, ...responsesAnswers(content) },
  }))
}

/** Creates (does not start) the fake upstream server, answering with `ANSWERS[answers]`. */
export function createFakeUpstream(answers = 'minimal') {
  const content = ANSWERS[answers]
  if (!content) throw new Error(`unknown answers "${answers}" (known: ${Object.keys(ANSWERS).join(', ')})`)
  const ROUTES = routes(content)
  return createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      const route = req.method === 'POST' ? ROUTES.get(req.url.split('?')[0]) : undefined
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(NOT_FOUND)
        return
      }
      // A 401 here means the proxy forwarded the client's access key instead of the channel key.
      if (!route.authorized(req.headers)) {
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(route.unauthorized)
        return
      }
      const stream = /"stream"\s*:\s*true/.test(Buffer.concat(chunks).toString())
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
        res.end(route.stream)
      }
      else {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_bench' })
        res.end(route.json)
      }
    })
  })
}

if (isMain(import.meta.url)) {
  const server = createFakeUpstream(process.argv[2])
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => reportListening(server))
}

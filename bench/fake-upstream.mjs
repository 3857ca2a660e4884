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

const MESSAGE = JSON.stringify({
  id: 'msg_bench_0000000000000000',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-5',
  content: [{ type: 'text', text: 'Hello! How can I help you today?' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 8, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
})

function sse(event, data) {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

const PIECES = ['Hello!', ' How can', ' I help', ' you today?']

const STREAM = [
  sse('message_start', {
    type: 'message_start',
    message: {
      id: 'msg_bench_0000000000000001',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 8, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  }),
  sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ...PIECES.map(text =>
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 10 } }),
  sse('message_stop', { type: 'message_stop' }),
].join('')

const CHAT_BASE = { id: 'chatcmpl-bench0000000000000000', created: 1770933892, model: 'gpt-4.1-2025-04-14', system_fingerprint: 'fp_bench' }
const CHAT_USAGE = { prompt_tokens: 8, completion_tokens: 10, total_tokens: 18, prompt_tokens_details: { cached_tokens: 0 } }

const CHAT_COMPLETION = JSON.stringify({
  ...CHAT_BASE,
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content: PIECES.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: CHAT_USAGE,
})

const chatChunk = (choices, usage = null) => `data: ${JSON.stringify({ ...CHAT_BASE, object: 'chat.completion.chunk', choices, usage })}\n\n`
const chatDelta = (delta, finish = null) => chatChunk([{ index: 0, delta, logprobs: null, finish_reason: finish }])

// What OpenAI sends with stream_options.include_usage (which cc-bridge asks for): role, the text
// pieces, the finish chunk, then usage on a chunk without choices, and [DONE].
const CHAT_STREAM = [
  chatDelta({ role: 'assistant', content: '' }),
  ...PIECES.map(content => chatDelta({ content })),
  chatDelta({}, 'stop'),
  chatChunk([], CHAT_USAGE),
  'data: [DONE]\n\n',
].join('')

const RESPONSE_ID = 'resp_bench0000000000000000'
const ITEM_ID = 'msg_bench0000000000000000'
const RESPONSES_USAGE = { input_tokens: 8, input_tokens_details: { cached_tokens: 0 }, output_tokens: 10, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 18 }
const TEXT_PART = { type: 'output_text', annotations: [], logprobs: [], text: PIECES.join('') }
const MESSAGE_ITEM = { id: ITEM_ID, type: 'message', status: 'completed', role: 'assistant', content: [TEXT_PART] }
const response = (status, output, usage) => ({
  id: RESPONSE_ID, object: 'response', created_at: 1770933892, status, error: null, incomplete_details: null,
  model: 'gpt-4.1-2025-04-14', output, parallel_tool_calls: true, previous_response_id: null, store: false, usage,
})

const RESPONSE = JSON.stringify(response('completed', [MESSAGE_ITEM], RESPONSES_USAGE))

// What OpenAI streams for a one-message answer: every event named in its `type`, numbered.
const RESPONSES_STREAM = [
  { type: 'response.created', response: response('in_progress', [], null) },
  { type: 'response.in_progress', response: response('in_progress', [], null) },
  { type: 'response.output_item.added', output_index: 0, item: { ...MESSAGE_ITEM, status: 'in_progress', content: [] } },
  { type: 'response.content_part.added', item_id: ITEM_ID, output_index: 0, content_index: 0, part: { ...TEXT_PART, text: '' } },
  ...PIECES.map(delta => ({ type: 'response.output_text.delta', item_id: ITEM_ID, output_index: 0, content_index: 0, delta, logprobs: [] })),
  { type: 'response.output_text.done', item_id: ITEM_ID, output_index: 0, content_index: 0, text: TEXT_PART.text, logprobs: [] },
  { type: 'response.content_part.done', item_id: ITEM_ID, output_index: 0, content_index: 0, part: TEXT_PART },
  { type: 'response.output_item.done', output_index: 0, item: MESSAGE_ITEM },
  { type: 'response.completed', response: response('completed', [MESSAGE_ITEM], RESPONSES_USAGE) },
].map(({ type, ...rest }, i) => sse(type, { type, sequence_number: i, ...rest })).join('')

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

/** Per path: the key check and the answers. */
const ROUTES = new Map(Object.entries({
  '/v1/messages': { authorized: hasUpstreamKey, unauthorized: ERROR_401, json: MESSAGE, stream: STREAM },
  '/v1/chat/completions': { authorized: hasBearerKey, unauthorized: CHAT_ERROR_401, json: CHAT_COMPLETION, stream: CHAT_STREAM },
  '/v1/responses': { authorized: hasBearerKey, unauthorized: CHAT_ERROR_401, json: RESPONSE, stream: RESPONSES_STREAM },
}))

/** Creates (does not start) the fake upstream server. */
export function createFakeUpstream() {
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
  const server = createFakeUpstream()
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => reportListening(server))
}

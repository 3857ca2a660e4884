// A fake Anthropic upstream for the benchmark: answers POST /v1/messages with a fixed message,
// or a short SSE stream written in one go, so its own cost stays small and constant.
import { createServer } from 'node:http'
import { isMain, reportListening } from './child.mjs'

/** The only upstream key the fake accepts; a proxy must swap the client's key for it. */
export const UPSTREAM_KEY_PREFIX = 'sk-ant-bench-'

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
  ...['Hello!', ' How can', ' I help', ' you today?'].map(text =>
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
  sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
  sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 10 } }),
  sse('message_stop', { type: 'message_stop' }),
].join('')

const ERROR_401 = JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } })

function hasUpstreamKey(headers) {
  const key = headers['x-api-key'] ?? headers.authorization?.replace(/^Bearer\s+/i, '')
  return typeof key === 'string' && key.startsWith(UPSTREAM_KEY_PREFIX)
}

/** Creates (does not start) the fake upstream server. */
export function createFakeUpstream() {
  return createServer((req, res) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => {
      if (req.method !== 'POST' || req.url.split('?')[0] !== '/v1/messages') {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end('{"type":"error","error":{"type":"not_found_error","message":"not found"}}')
        return
      }
      // A 401 here means the proxy forwarded the client's access key instead of the channel key.
      if (!hasUpstreamKey(req.headers)) {
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(ERROR_401)
        return
      }
      const stream = /"stream"\s*:\s*true/.test(Buffer.concat(chunks).toString())
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
        res.end(STREAM)
      }
      else {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_bench' })
        res.end(MESSAGE)
      }
    })
  })
}

if (isMain(import.meta.url)) {
  const server = createFakeUpstream()
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => reportListening(server))
}

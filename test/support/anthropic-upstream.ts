import { sseEvent } from './fake-upstream'
import { messageEnd, messageStart } from './anthropic-fixtures'

/** An Anthropic stream with text and then a tool call split over deltas, with cache usage. */
export function textThenToolStream(): string[] {
  return [
    sseEvent({
      type: 'message_start',
      message: { id: 'msg_up', type: 'message', role: 'assistant', model: 'claude-up', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 } },
    }),
    sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking ' } }),
    sseEvent({ type: 'ping' }),
    sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'the weather.' } }),
    sseEvent({ type: 'content_block_stop', index: 0 }),
    sseEvent({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_w', name: 'get_weather', input: {} } }),
    sseEvent({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } }),
    sseEvent({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Par' } }),
    sseEvent({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'is"}' } }),
    sseEvent({ type: 'content_block_stop', index: 1 }),
    ...messageEnd('tool_use', 18),
  ]
}

export { messageStart }

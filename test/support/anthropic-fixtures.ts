import { sseEvent } from './fake-upstream'

/** A complete non-streaming Anthropic message, with fields a typed re-encode would drop. */
export function message(text: string, model = 'claude-test-sonnet') {
  return {
    id: 'msg_01test', type: 'message', role: 'assistant', model,
    content: [
      { type: 'thinking', thinking: 'Let me think.', signature: 'EsECsig+/=' },
      { type: 'text', text, citations: null },
    ],
    stop_reason: 'end_turn', stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 3, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, service_tier: 'standard' },
  }
}

export const messageStart = (model = 'claude-test-sonnet') => sseEvent({
  type: 'message_start',
  message: { id: 'msg_01stream', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 20, output_tokens: 1 } },
})

export const messageEnd = (stopReason = 'end_turn', outputTokens = 9) => [
  sseEvent({ type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }),
  sseEvent({ type: 'message_stop' }),
]

/** A streamed text answer split into the given pieces. */
export function textStream(pieces: string[], model?: string): string[] {
  return [
    messageStart(model),
    sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ...pieces.map(text => sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    sseEvent({ type: 'content_block_stop', index: 0 }),
    ...messageEnd(),
  ]
}

/** Thinking with a signature, then a tool call whose JSON arrives split across deltas. */
export function thinkingToolStream(): string[] {
  const json = JSON.stringify({ command: 'ls -la /tmp', description: 'List files ✓' })
  const parts = ['', json.slice(0, 7), json.slice(7, 20), json.slice(20)]
  return [
    messageStart(),
    sseEvent({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'I should list ' } }),
    sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'the files.' } }),
    sseEvent({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCkYIARgCKkBsig==' } }),
    sseEvent({ type: 'content_block_stop', index: 0 }),
    sseEvent({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: {} } }),
    ...parts.map(partial_json => sseEvent({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json } })),
    sseEvent({ type: 'content_block_stop', index: 1 }),
    ...messageEnd('tool_use', 31),
  ]
}

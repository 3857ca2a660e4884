/** One Chat Completions stream chunk as a provider sends it (data-only SSE). */
export function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: 1764115200, model: 'gpt-up', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`
}

export const usageChunk = (prompt: number, completion: number, cached = 0) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-up1', object: 'chat.completion.chunk', created: 1764115200, model: 'gpt-up', choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } } })}\n\n`

export const DONE = 'data: [DONE]\n\n'

/** A streamed text answer from an OpenAI-compatible upstream. */
export function chatTextStream(pieces: string[]): string[] {
  return [chunk({ role: 'assistant', content: '' }), ...pieces.map(content => chunk({ content })), chunk({}, 'stop'), usageChunk(30, 7, 10), DONE]
}

/** DeepSeek-style: reasoning_content, then two parallel tool calls with split arguments. */
export function chatReasoningToolsStream(): string[] {
  return [
    chunk({ role: 'assistant', content: null, reasoning_content: '' }),
    chunk({ reasoning_content: 'Need both ' }),
    chunk({ reasoning_content: 'files.' }),
    chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'Read', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"file_path":' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'Read', arguments: '{"file_path"' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"/a.txt"}' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: ':"/b.txt"}' } }] }),
    chunk({}, 'tool_calls', { usage: { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140, prompt_cache_hit_tokens: 60, prompt_tokens_details: { cached_tokens: 60 } } }),
    DONE,
  ]
}

/** A complete non-streaming Chat completion. */
export function chatCompletion(content: string | null, toolCalls?: unknown[], finish = 'stop') {
  return {
    id: 'chatcmpl-up2', object: 'chat.completion', created: 1764115200, model: 'gpt-up',
    choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62, prompt_tokens_details: { cached_tokens: 20 } },
  }
}

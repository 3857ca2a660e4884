import { sseEvent } from './fake-upstream'

/** Usage as the Responses API reports it. */
export const USAGE = { input_tokens: 40, input_tokens_details: { cached_tokens: 0 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 49 }

/** An assistant message output item. */
export function messageItem(text: string, id = 'msg_up1'): Record<string, unknown> {
  return { type: 'message', id, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] }
}

/** A function-call output item. */
export function functionCallItem(callId: string, name: string, args: string, id = 'fc_up1'): Record<string, unknown> {
  return { type: 'function_call', id, call_id: callId, name, arguments: args, status: 'completed' }
}

/** A reasoning output item with encrypted content (only the issuing upstream can read it). */
export function reasoningItem(id = 'rs_up1'): Record<string, unknown> {
  return { type: 'reasoning', id, summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'gAAAA-secret-of-upstream' }
}

/** A Responses object as an upstream returns it. */
export function responseObject(id: string, output: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id, object: 'response', created_at: 1764115200, status: 'completed', error: null, incomplete_details: null,
    instructions: null, model: 'gpt-up', output, parallel_tool_calls: true, previous_response_id: null,
    store: true, temperature: 1, tool_choice: 'auto', tools: [], top_p: 1, truncation: 'disabled', usage: USAGE, metadata: {},
    ...extra,
  }
}

/** The events of one streamed turn whose output is `items` (text deltas for messages), sequence-numbered. */
export function responseStream(id: string, items: Record<string, unknown>[], opts: { emptyFinalOutput?: boolean } = {}): string[] {
  let seq = 0
  const ev = (data: Record<string, unknown>) => sseEvent({ ...data, sequence_number: seq++ })
  const frames = [
    ev({ type: 'response.created', response: responseObject(id, [], { status: 'in_progress', usage: null }) }),
    ev({ type: 'response.in_progress', response: responseObject(id, [], { status: 'in_progress', usage: null }) }),
  ]
  items.forEach((item, output_index) => {
    if (item.type === 'message') {
      const text = (item.content as { text: string }[])[0]!.text
      frames.push(
        ev({ type: 'response.output_item.added', output_index, item: { ...item, status: 'in_progress', content: [] } }),
        ev({ type: 'response.content_part.added', item_id: item.id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
        ...[text.slice(0, 3), text.slice(3)].map(delta => ev({ type: 'response.output_text.delta', item_id: item.id, output_index, content_index: 0, delta, logprobs: [] })),
        ev({ type: 'response.output_text.done', item_id: item.id, output_index, content_index: 0, text, logprobs: [] }),
        ev({ type: 'response.content_part.done', item_id: item.id, output_index, content_index: 0, part: { type: 'output_text', text, annotations: [] } }),
      )
    }
    else {
      frames.push(ev({ type: 'response.output_item.added', output_index, item: { ...item, status: 'in_progress', ...(item.type === 'function_call' ? { arguments: '' } : {}) } }))
    }
    frames.push(ev({ type: 'response.output_item.done', output_index, item }))
  })
  frames.push(ev({ type: 'response.completed', response: responseObject(id, opts.emptyFinalOutput ? [] : items) }))
  return frames
}

import { formatEvent, parseFirstEvent } from '../../sse/frames'
import type { ConvertContext, JsonObject, ProtocolConverter, StreamConverter } from '../types'
import { asArray, asObject, asString, isObject, parseObject } from '../values'

/**
 * What the channel's model is asked once the conversation is in front of it. In the spirit of
 * Codex's own compaction prompt: a hand-off for the model that resumes the task, not a recap.
 */
export const SUMMARY_PROMPT = [
  'Context checkpoint: the conversation above is about to be replaced by your summary of it.',
  'Write a hand-off summary for another model that will resume this task with nothing but your summary and the tools. Include:',
  '- what the user asked for, and every constraint or preference they stated;',
  '- progress so far and the key decisions made, with their reasons;',
  '- the important context: files, commands, results, errors and identifiers that are still needed;',
  '- what remains to be done, as clear next steps.',
  'Be concise and structured. Reply with the summary only, as plain text; do not call any tool.',
].join('\n')

/** What the summary is replayed under when it comes back, so the next model knows what it reads. */
export const SUMMARY_PREFIX = 'Earlier turns of this conversation were compacted. Another model worked on this task and wrote the summary below; build on it and do not repeat work already done.\n\n'

/** Seals the items a compaction item stands for into one `{type:"compaction", id, encrypted_content}` item. */
export type SealCompaction = (items: readonly JsonObject[], id: string) => JsonObject

/**
 * The two ways Codex asks for remote compaction: `POST /responses/compact` (`compact`: a
 * `response.compaction` object) and a `compaction_trigger` input item on `/responses`
 * (`trigger`: a response, or a stream, whose output is exactly one `compaction` item).
 */
export type CompactionForm = 'compact' | 'trigger'

/**
 * The request for a summary: the conversation as sent (without its `compaction_trigger`), then
 * {@link SUMMARY_PROMPT} as the last user message. Tools stay declared (the history may hold
 * calls to them) but may not be called; a structured output format would only get in the way.
 */
export function summaryRequest(body: JsonObject): JsonObject {
  const input = typeof body.input === 'string' ? [{ type: 'message', role: 'user', content: body.input }] : asArray(body.input)
  const { text: _text, tool_choice: _choice, ...rest } = body
  return {
    ...rest,
    ...(asArray(body.tools).length ? { tool_choice: 'none' } : {}),
    input: [
      ...input.filter(item => !(isObject(item) && item.type === 'compaction_trigger')),
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: SUMMARY_PROMPT }] },
    ],
  }
}

/** The text of a response's message items: the summary the model wrote. */
export function summaryOf(response: JsonObject): string {
  return asArray(response.output).flatMap((item) => {
    const o = asObject(item)
    if (o?.type !== 'message') return []
    return asArray(o.content).flatMap(part => asString(asObject(part)?.text) ?? [])
  }).join('').trim()
}

/** The items a sealed summary stands for when it comes back: one user message, what any channel can read. */
export function summaryItems(summary: string): JsonObject[] {
  return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: `${SUMMARY_PREFIX}${summary}` }] }]
}

/** A user message's text parts (a string content as one `input_text`). */
function userContent(content: unknown): JsonObject[] {
  return typeof content === 'string' ? [{ type: 'input_text', text: content }] : asArray(content).filter(isObject)
}

/**
 * The user messages of a request's input, as `/responses/compact` lists them before its
 * compaction item (OpenAI keeps them verbatim); earlier summaries replayed by cc-bridge are not
 * among them, as the new summary covers them.
 */
export function keptUserMessages(input: unknown): JsonObject[] {
  const items = typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input).filter(isObject)
  return items.flatMap((item) => {
    if ((item.type ?? 'message') !== 'message' || item.role !== 'user') return []
    const content = userContent(item.content)
    if (asString(content[0]?.text)?.startsWith(SUMMARY_PREFIX)) return []
    return [{ type: 'message', role: 'user', content }]
  })
}

const NO_SUMMARY = { code: 'server_error', message: 'the model wrote no summary to compact the conversation into; try again' }

/** A finished response with its output replaced by one sealed compaction item, or failed when the model wrote nothing. */
function compacted(response: JsonObject, seal: SealCompaction): JsonObject {
  const summary = summaryOf(response)
  if (!summary) return { ...response, status: 'failed', error: NO_SUMMARY, output: [] }
  const id = `cmp_${String(response.id ?? '').replace(/^resp_/, '')}`
  // A summary cut short by the output limit still stands for the history better than a failed compaction.
  return { ...response, status: 'completed', incomplete_details: null, output: [seal(summaryItems(summary), id)] }
}

/** The stream of a `trigger` compaction: the upstream's text is held back and ends as one compaction item. */
function compactionStream(base: StreamConverter, seal: SealCompaction): StreamConverter {
  let sequence = 0
  const emit = (data: JsonObject) => formatEvent(data.type as string, JSON.stringify({ ...data, sequence_number: sequence++ }))
  const map = (frames: string[]) => frames.flatMap((frame): string[] => {
    const event = parseFirstEvent(frame)
    const data = event && parseObject(event.data)
    const type = data?.type ?? event?.event
    if (!data) return []
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.failed':
      case 'error':
        return [emit(data)]
      case 'response.completed':
      case 'response.incomplete': {
        const response = compacted(asObject(data.response) ?? {}, seal)
        if (response.status === 'failed') return [emit({ type: 'response.failed', response })]
        const item = (response.output as JsonObject[])[0]
        return [
          emit({ type: 'response.output_item.added', output_index: 0, item }),
          emit({ type: 'response.output_item.done', output_index: 0, item }),
          emit({ type: 'response.completed', response }),
        ]
      }
      default:
        return []
    }
  })
  return {
    start: () => map(base.start()),
    push: event => map(base.push(event)),
    end: () => map(base.end()),
    fail: message => map(base.fail(message)),
    get finished() {
      return base.finished
    },
    usage: () => base.usage(),
  }
}

/**
 * Remote compaction on a channel that has none: wraps a Responses-client converter so the
 * channel's model is asked for a summary of the conversation ({@link summaryRequest}) and the
 * client gets it back as one `compaction` item sealed by `seal` (only this cc-bridge can open
 * it; it replays the summary as text when the item comes back). `compact` answers list the
 * request's user messages before the item, as OpenAI's do. Pure: sealing is passed in.
 */
export function compactionConverter(base: ProtocolConverter, form: CompactionForm, seal: SealCompaction): ProtocolConverter {
  /** Per request (keyed by its `ctx`, as the base converter keeps its facts): the user messages a `compact` answer lists. */
  const kept = new WeakMap<ConvertContext, JsonObject[]>()
  return {
    endpoint: base.endpoint,
    request(body, ctx) {
      if (form === 'compact') kept.set(ctx, keptUserMessages(body.input))
      return base.request(summaryRequest(body), ctx)
    },
    response(body, ctx) {
      const response = compacted(base.response(body, ctx), seal)
      if (form === 'trigger') return response
      if (response.status === 'failed') return { id: response.id, object: 'response.compaction', created_at: response.created_at, output: [], usage: response.usage, error: response.error }
      const output = [...(kept.get(ctx) ?? []), ...(response.output as JsonObject[])]
      return { id: response.id, object: 'response.compaction', created_at: response.created_at, output, usage: response.usage }
    },
    usage: body => base.usage(body),
    stream: ctx => compactionStream(base.stream(ctx), seal),
    error: (status, body) => base.error(status, body),
  }
}

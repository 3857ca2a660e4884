import { readFileSync } from 'node:fs'
import type { ConversionWarning, ResponsesConverterOptions } from '#server/utils/convert/responses-common/types'
import type { ConvertContext, JsonObject, ProtocolConverter, SseEvent, StreamConverter } from '#server/utils/convert/types'
import { parseFirstEvent } from '#server/utils/sse/frames'

/** 2026-01-01T00:00:00Z; tests pin the clock so `created_at` is stable. */
export const CREATED = 1767225600

/** Codex asked for `gpt-5-codex`; the channel maps it to its own model. */
export const ctx = (extra: Partial<ConvertContext> = {}): ConvertContext => ({ requestModel: 'gpt-5-codex', upstreamModel: 'upstream-model', stream: true, ...extra })

/** Options with counting ids (`resp_1`, `msg_2`, …), the pinned clock and a warning list. */
export function testOptions(warnings: ConversionWarning[] = []): ResponsesConverterOptions {
  let n = 0
  return { newId: prefix => `${prefix}_${++n}`, now: () => CREATED * 1000, onWarning: w => warnings.push(w) }
}

export function fixture(path: string): string {
  return readFileSync(new URL(`../../../../../fixtures/${path}`, import.meta.url), 'utf8')
}

/** SSE text → events, one per blank-line-terminated group. */
export function sseEvents(text: string): SseEvent[] {
  return text.split(/\r?\n\r?\n/).flatMap(group => parseFirstEvent(`${group}\n\n`) ?? [])
}

/** Runs a whole upstream transcript through a stream converter: start, every event, end. */
export function runStream(text: string, stream: StreamConverter): string {
  const frames = [...stream.start()]
  for (const event of sseEvents(text)) frames.push(...stream.push(event))
  frames.push(...stream.end())
  return frames.join('')
}

/** The stream converter of a request: `request` first, so custom tools are known. */
export function streamFor(converter: ProtocolConverter, request: JsonObject, context = ctx()): StreamConverter {
  converter.request(request, context)
  return converter.stream(context)
}

/** A Codex-like request with a function tool and the freeform `apply_patch` tool. */
export const CODEX_TOOLS_REQUEST: JsonObject = {
  model: 'gpt-5-codex',
  input: 'fix the greeting',
  tools: [
    { type: 'function', name: 'exec_command', description: 'Runs a command', parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] }, strict: false },
    { type: 'custom', name: 'apply_patch', description: 'Edit files', format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch hunk+ end_patch' } },
  ],
  stream: true,
}

/** Parsed frames: `[event name, data]`. */
export function frames(text: string): Array<[string | undefined, JsonObject]> {
  return sseEvents(text).map(e => [e.event, JSON.parse(e.data) as JsonObject])
}

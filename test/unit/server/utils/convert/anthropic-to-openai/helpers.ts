import { readFileSync } from 'node:fs'
import { parseFirstEvent } from '#server/utils/sse/frames'
import { createAnthropicToOpenAI } from '#server/utils/convert/anthropic-to-openai'
import type { ConvertContext, SseEvent, StreamConverter } from '#server/utils/convert/types'

export const FIXTURES = new URL('../../../../../fixtures/openai-chat/', import.meta.url)

export const ctx: ConvertContext = { requestModel: 'claude-sonnet-4-6', upstreamModel: 'gpt-4.1', stream: true }

/** A converter whose ids are `msg_1`, `toolu_2`, … in minting order. */
export function testConverter(options: { replayReasoning?: boolean } = {}) {
  let n = 0
  return createAnthropicToOpenAI({ ...options, newId: prefix => `${prefix}_${++n}` })
}

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
}

/** Splits SSE text into events the way the upstream reader hands them to a converter. */
export function sseEvents(text: string): SseEvent[] {
  return text.split(/\r?\n\r?\n/).flatMap(part => parseFirstEvent(`${part}\n\n`) ?? [])
}

/** Runs a whole upstream transcript through a stream converter: start, every event, end. */
export function runStream(text: string, converter: StreamConverter = testConverter().stream(ctx)): string {
  const frames = [...converter.start()]
  for (const event of sseEvents(text)) frames.push(...converter.push(event))
  frames.push(...converter.end())
  return frames.join('')
}

import { readFileSync } from 'node:fs'
import type { ConvertContext, ProtocolConverter, SseEvent, StreamConverter } from '#server/utils/convert/types'
import { createOpenAIToAnthropic } from '#server/utils/convert/openai-to-anthropic'
import { parseFirstEvent } from '#server/utils/sse/frames'

/** 2026-01-01T00:00:00Z; tests pin the clock so `created` is stable. */
export const CREATED = 1767225600

/** A converter on a clock stopped at {@link CREATED} whose minted ids are `msg_1`, `msg_2`, … */
export function testConverter(): ProtocolConverter {
  let n = 0
  return createOpenAIToAnthropic({ newId: prefix => `${prefix}_${++n}`, now: () => CREATED * 1000 })
}

/** The client asked for `gpt-4o`; the channel maps it to a Claude model. */
export const ctx = (extra: Partial<ConvertContext> & { includeUsage?: boolean } = {}): ConvertContext => ({
  requestModel: 'gpt-4o',
  upstreamModel: 'claude-sonnet-4-5-20250929',
  stream: true,
  ...extra,
})

/** A recorded-shape fixture from `test/fixtures/anthropic/`. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../../../../../fixtures/anthropic/${name}`, import.meta.url), 'utf8')
}

/** SSE text → events, one per blank-line-terminated group. */
export function sseEvents(text: string): SseEvent[] {
  return text.split(/\n\n/).flatMap(group => parseFirstEvent(`${group}\n\n`) ?? [])
}

/** Runs a fixture through a fresh stream converter, ending the upstream body after the last event. */
export function convertFixture(name: string, context = ctx()): { frames: string[], converter: StreamConverter } {
  const converter = testConverter().stream(context)
  const frames = [...converter.start()]
  for (const event of sseEvents(fixture(name))) frames.push(...converter.push(event))
  frames.push(...converter.end())
  return { frames, converter }
}

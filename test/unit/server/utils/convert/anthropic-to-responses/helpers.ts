import { readFileSync } from 'node:fs'
import { createAnthropicToResponses } from '#server/utils/convert/anthropic-to-responses'
import type { ConvertContext, StreamConverter } from '#server/utils/convert/types'
import { sseEvents } from '../anthropic-to-openai/helpers'

export const FIXTURES = new URL('../../../../../fixtures/responses/', import.meta.url)

export const ctx: ConvertContext = { requestModel: 'claude-sonnet-4-6', upstreamModel: 'gpt-5.1-codex', stream: true }

/** A converter whose ids are `msg_1`, `toolu_2`, … in minting order. */
export function testConverter() {
  let n = 0
  return createAnthropicToResponses({ newId: prefix => `${prefix}_${++n}` })
}

export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
}

/** Runs a whole upstream transcript through a stream converter: start, every event, end. */
export function runStream(text: string, converter: StreamConverter = testConverter().stream(ctx)): string {
  const frames = [...converter.start()]
  for (const event of sseEvents(text)) frames.push(...converter.push(event))
  frames.push(...converter.end())
  return frames.join('')
}

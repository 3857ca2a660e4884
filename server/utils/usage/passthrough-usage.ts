import { usageFromChat } from '#server/utils/convert/anthropic-to-openai/usage'
import { usageFromResponses } from '#server/utils/convert/anthropic-to-responses/usage'
import { emptyUsage, readUsage } from '#server/utils/convert/openai-to-anthropic/response'
import type { Usage } from '#server/utils/convert/types'
import { asObject, asString } from '#server/utils/convert/values'
import type { ClientProtocol } from '#server/utils/http/protocol-error'
import { parseFirstEvent } from '#server/utils/sse/frames'
import { topLevelFields } from './top-level-fields'

/** The wire protocols whose usage a passthrough can read: Messages, Chat Completions, Responses. */
export type UsageProtocol = ClientProtocol | 'responses'

/** What the upstream reported about an answer it produced. */
export interface AnswerFacts {
  usage?: Usage
  /** The model the upstream says answered. */
  model?: string
}

/** Reads usage (and the answering model) off the events a passthrough relays, without holding them. */
export interface UsageTap {
  /** Whole events as relayed; only the few that carry `"usage"` are parsed. */
  observe(events: Buffer | string): void
  /** What the upstream reported; `usage` is undefined when it sent none at all. */
  facts(): AnswerFacts
}

const USAGE = '"usage"'

function parse(data: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(data))
  }
  catch {
    return undefined
  }
}

/** Reads one parsed event (or a whole non-streaming body) into `facts`. */
function read(protocol: UsageProtocol, json: Record<string, unknown>, facts: AnswerFacts): void {
  if (protocol === 'anthropic') {
    const message = json.type === 'message_start' ? asObject(json.message) : json
    facts.model = asString(message?.model) ?? facts.model
    if (!asObject(message?.usage)) return
    facts.usage ??= emptyUsage()
    readUsage(message!.usage, facts.usage)
  }
  else if (protocol === 'openai') {
    facts.model = asString(json.model) ?? facts.model
    facts.usage = usageFromChat(json.usage) ?? facts.usage
  }
  else {
    // Streams carry the response inside `response.completed` (or incomplete/failed); a body is the response.
    const response = asObject(json.response) ?? json
    facts.model = asString(response.model) ?? facts.model
    facts.usage = usageFromResponses(response.usage) ?? facts.usage
  }
}

/**
 * A usage tap for one stream. Anthropic reports input and cache counts in `message_start` and
 * cumulative output counts in `message_delta` (last value wins); Chat reports everything in the
 * final chunk's `usage`; Responses in `response.completed`. Every other event is skipped after
 * one substring search.
 */
export function createUsageTap(protocol: UsageProtocol): UsageTap {
  const facts: AnswerFacts = {}
  return {
    observe(events) {
      // Searched before decoding: most events carry no usage.
      if (!events.includes(USAGE)) return
      const text = typeof events === 'string' ? events : events.toString('utf8')
      for (const frame of text.split(/\r\n\r\n|\n\n|\r\r/)) {
        if (!frame.includes(USAGE)) continue
        const data = parseFirstEvent(`${frame}\n\n`)?.data
        const json = data === undefined ? undefined : parse(data)
        if (json) read(protocol, json, facts)
      }
    },
    facts: () => facts,
  }
}

/** The keys of a whole answer that say what it cost and who answered (in all three protocols). */
const BODY_FACTS: readonly string[] = ['model', 'usage']

/**
 * What a whole non-streaming answer body in the upstream's protocol reports, read once: only its
 * top-level `model` and `usage` are parsed (see `topLevelFields`), not the content.
 */
export function factsOfBody(protocol: UsageProtocol, body: Buffer | string): AnswerFacts {
  const json = topLevelFields(typeof body === 'string' ? body : body.toString('utf8'), BODY_FACTS)
  const facts: AnswerFacts = {}
  if (json) read(protocol, json, facts)
  return facts
}

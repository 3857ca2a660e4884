import { usageFromChat } from '#server/utils/convert/anthropic-to-openai/usage'
import { usageFromResponses } from '#server/utils/convert/anthropic-to-responses/usage'
import { emptyUsage, readUsage } from '#server/utils/convert/openai-to-anthropic/response'
import type { Usage } from '#server/utils/convert/types'
import { asObject, asString, parseObject } from '#server/utils/convert/values'
import type { ClientProtocol } from '#server/utils/http/protocol-error'
import { COLON, isJsonSpace, OPEN_BRACE } from '#server/utils/json/char-codes'
import { parseFirstEvent } from '#server/utils/sse/frames'
import { topLevelFields, topLevelSlices } from './top-level-fields'

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
/** The same as bytes: a Buffer searched for a string converts the string on every search. */
const USAGE_BYTES = Buffer.from(USAGE)
const usageAt = (events: Buffer | string, from: number) => (typeof events === 'string' ? events.indexOf(USAGE, from) : events.indexOf(USAGE_BYTES, from))

/**
 * Where the last `"usage"` starting at or before `from` with a value other than `null` starts, or
 * -1. OpenAI's Chat chunks carry `"usage":null` on every chunk but the last when usage is asked
 * for (cc-bridge asks), and a Responses stream on its first two events: those are passed over
 * without cutting their events out and parsing them.
 */
function lastUsageAt(events: Buffer | string, from: number): number {
  // A negative start means the end to a Buffer and 0 to a string: neither is "nothing left".
  while (from >= 0) {
    const at = typeof events === 'string' ? events.lastIndexOf(USAGE, from) : events.lastIndexOf(USAGE_BYTES, from)
    if (at < 0 || !nullFollows(events, at + USAGE.length)) return at
    from = at - 1
  }
  return -1
}

const codeAt = (events: Buffer | string, i: number) => (typeof events === 'string' ? events.charCodeAt(i) : events[i])

/** Whether `: null` (any JSON whitespace) follows offset `i`. */
function nullFollows(events: Buffer | string, i: number): boolean {
  while (isJsonSpace(codeAt(events, i))) i++
  if (codeAt(events, i) !== COLON) return false
  do i++
  while (isJsonSpace(codeAt(events, i)))
  // n, u, l, l
  return codeAt(events, i) === 0x6E && codeAt(events, i + 1) === 0x75 && codeAt(events, i + 2) === 0x6C && codeAt(events, i + 3) === 0x6C
}

/** The keys of a whole answer that say what it cost and who answered (in all three protocols). */
const BODY_FACTS: readonly string[] = ['model', 'usage']

/**
 * The keys of an event that `read` looks at: Anthropic's `message_start` nests the answer's
 * model and usage in `message`, Responses events in `response` (whose output is most of the
 * bytes of `response.completed`), so those two are reduced to their own model and usage.
 */
const EVENT_KEYS: readonly string[] = ['type', 'model', 'usage', 'message', 'response']
const NESTED_ANSWERS: readonly string[] = ['message', 'response']

/**
 * Up to this many characters an answer or event is parsed whole: on text answers `JSON.parse` and
 * the scan that steps over the content are close there, and on content full of quotes (code) the
 * whole parse is ahead (measured on Anthropic answers, bundled as the server is, whole parse
 * first: 1.3 against 1.8 µs at 0.4 KB, 2.0 against 1.8 at 2.4 KB, 3.8 against 5.6 at 2.9 KB of
 * code; a tool call with a 1 KB input 6.9 against 4.1). Past it the scan's cost on text stays
 * flat (2.0 µs at 8.4 KB against 3.6) where a whole parse builds every object of the content.
 */
const WHOLE_PARSE_CHARS = 8 * 1024

/** An event's data as `read` needs it: parsed whole when small, else the rest of it stepped over (see `topLevelSlices`). */
function eventJson(data: string): Record<string, unknown> | undefined {
  if (data.length <= WHOLE_PARSE_CHARS) return parseObject(data)
  const slices = topLevelSlices(data, EVENT_KEYS)
  if (!slices) return undefined
  const json: Record<string, unknown> = {}
  try {
    for (const key in slices) {
      const raw = slices[key]!
      json[key] = NESTED_ANSWERS.includes(key) && raw.charCodeAt(0) === OPEN_BRACE ? topLevelFields(raw, BODY_FACTS) : JSON.parse(raw)
    }
  }
  catch {
    return undefined
  }
  return json
}

/**
 * Up to this size a chunk that carries usage is decoded whole before its events are cut out: a
 * search in a Buffer has a fixed cost (about 0.15 µs here) that a search in text does not, and a
 * stream's usage chunk needs four to eight of them.
 */
const DECODED_CHUNK_BYTES = 16 * 1024

/** The blank lines that end SSE events, as the relay splits them. */
const SEPARATORS = ['\r\n\r\n', '\n\n', '\r\r']
/** Those of a stream without a `\r`, as most are. */
const LF_SEPARATORS = ['\n\n']
const CR = 13

/**
 * The blank lines that can end the events of `events`: one native search for a `\r` first, since
 * without one only `\n\n` can, and searching for the others would read the whole chunk.
 */
const separatorsOf = (events: Buffer | string) => ((typeof events === 'string' ? events.includes('\r') : events.includes(CR)) ? SEPARATORS : LF_SEPARATORS)

/**
 * The event holding offset `at` of `events`, as text ending with its blank line: from after the
 * nearest blank line before it (or the start) to the nearest blank line after it (or the end, a
 * blank line then added). Offsets are bytes in a Buffer, characters in a string; the separators
 * are ASCII either way. Also where the next event starts.
 */
function eventAround(events: Buffer | string, at: number, separators: readonly string[]): { text: string, next: number } {
  let start = 0
  let end = events.length
  let separator = ''
  for (const s of separators) {
    const before = events.lastIndexOf(s, at)
    if (before >= 0 && before + s.length > start) start = before + s.length
    const after = events.indexOf(s, at)
    if (after >= 0 && after < end) {
      end = after
      separator = s
    }
  }
  // With its own blank line when it has one: the parser needs one, and adding it would copy the event.
  const stop = end + separator.length
  const text = typeof events === 'string' ? events.slice(start, stop) : events.toString('utf8', start, stop)
  return { text: separator ? text : `${text}\n\n`, next: end }
}

/** The parsed data of the event holding offset `at` (undefined when it does not parse), and where the next event starts. */
function eventAt(events: Buffer | string, at: number, separators: readonly string[]): { json: Record<string, unknown> | undefined, next: number } {
  const { text, next } = eventAround(events, at, separators)
  const data = parseFirstEvent(text, separators !== LF_SEPARATORS)?.data
  return { json: data === undefined ? undefined : eventJson(data), next }
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
  return new StreamUsage(protocol)
}

/** A class, not closures: one is made per logged stream, and a new closure pays for its first call. */
class StreamUsage implements UsageTap {
  private readonly found: AnswerFacts = {}

  constructor(private readonly protocol: UsageProtocol) {}

  observe(events: Buffer | string): void {
    // Chat and Responses report usage whole and the last report wins, so of a chunk only its last
    // is read, found from the end: an agent's turn relayed in one chunk, Chat 56 → 2 µs (every
    // chunk's usage was cut out and parsed, null or not), Responses 18 → 6 µs.
    if (this.protocol !== 'anthropic') {
      let separators: readonly string[] | undefined
      for (let hit = lastUsageAt(events, events.length); hit >= 0; hit = lastUsageAt(events, hit - 1)) {
        const { json } = eventAt(events, hit, separators ??= separatorsOf(events))
        // An event that does not parse leaves the report before it to count.
        if (json) return read(this.protocol, json, this.found)
      }
      return
    }
    // Anthropic splits it over message_start and message_delta, both read. Searched before
    // decoding: most events carry no usage. A chunk that does is decoded whole when small (the
    // searches left, each event's bounds and the next hit, cost less in text than a Buffer
    // search's fixed cost), else only the events around each hit are; of those only the fields
    // that say what the answer cost are parsed.
    let hit = usageAt(events, 0)
    if (hit < 0) return
    if (typeof events !== 'string' && events.length <= DECODED_CHUNK_BYTES) {
      events = events.toString('utf8')
      hit = usageAt(events, 0)
    }
    // Looked up once per chunk, not per event that carries usage.
    const separators = separatorsOf(events)
    while (hit >= 0) {
      const { json, next } = eventAt(events, hit, separators)
      if (json) read(this.protocol, json, this.found)
      hit = usageAt(events, next)
    }
  }

  facts(): AnswerFacts {
    return this.found
  }
}

/**
 * What a whole non-streaming answer body in the upstream's protocol reports, read once: a large
 * one for its top-level `model` and `usage` only (see `topLevelFields`), not the content.
 */
export function factsOfBody(protocol: UsageProtocol, body: Buffer | string): AnswerFacts {
  const text = typeof body === 'string' ? body : body.toString('utf8')
  const json = text.length <= WHOLE_PARSE_CHARS ? parseObject(text) : topLevelFields(text, BODY_FACTS)
  const facts: AnswerFacts = {}
  if (json) read(protocol, json, facts)
  return facts
}

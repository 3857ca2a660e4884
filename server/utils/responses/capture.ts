import type { JsonObject } from '#server/utils/convert/types'
import { isObject, parseObject } from '#server/utils/convert/values'
import type { AnswerTap } from '#server/utils/proxy/types'

/** A tap that keeps the one response object a Responses answer ends with. */
export interface ResponseCapture extends AnswerTap {
  /**
   * The finished response (status `completed` or `incomplete`) with its output items, or
   * undefined when the answer failed, was cut short or was not a Responses object.
   */
  result(): JsonObject | undefined
}

/** The event types the capture reads; every other event is passed over without being parsed. */
const ITEM_DONE = 'response.output_item.done'
const FINAL = new Set(['response.completed', 'response.incomplete'])
const WANTED = [ITEM_DONE, ...FINAL]
const WANTED_BYTES = WANTED.map(t => Buffer.from(t))

/** The `data:` payload of one SSE event block (its lines joined), or undefined for none. */
function dataOf(block: string): string | undefined {
  let data: string | undefined
  for (const line of block.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue
    const value = line.slice(line[5] === ' ' ? 6 : 5)
    data = data === undefined ? value : `${data}\n${value}`
  }
  return data
}

/**
 * Captures the response of a Responses answer as it passes: from a stream, the final
 * `response.completed` / `response.incomplete` object (and the `response.output_item.done`
 * items, for upstreams whose final object comes with an empty `output`); from a JSON body, the
 * body. Only the events it needs are parsed, and only once whole.
 */
export function createResponseCapture(): ResponseCapture {
  const items: { index: number, item: JsonObject }[] = []
  let final: JsonObject | undefined
  const body: Buffer[] = []

  const readEvents = (text: string) => {
    for (const block of text.split(/\r?\n\r?\n/)) {
      if (!WANTED.some(t => block.includes(t))) continue
      const event = parseObject(dataOf(block) ?? '')
      if (!event) continue
      if (event.type === ITEM_DONE && isObject(event.item)) {
        items.push({ index: typeof event.output_index === 'number' ? event.output_index : items.length, item: event.item })
      }
      else if (typeof event.type === 'string' && FINAL.has(event.type) && isObject(event.response)) {
        final = event.response
      }
    }
  }

  return {
    frames(chunk) {
      if (typeof chunk === 'string') {
        if (WANTED.some(t => chunk.includes(t))) readEvents(chunk)
      }
      else if (WANTED_BYTES.some(t => chunk.includes(t))) {
        readEvents(chunk.toString('utf8'))
      }
    },
    body(chunk) {
      body.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    },
    result() {
      if (body.length) {
        const json = parseObject(Buffer.concat(body).toString('utf8'))
        const finished = json?.status === undefined || json.status === 'completed' || json.status === 'incomplete'
        return json && finished && typeof json.id === 'string' && Array.isArray(json.output) ? json : undefined
      }
      if (!final || typeof final.id !== 'string') return undefined
      const output = Array.isArray(final.output) && final.output.length ? final.output : items.sort((a, b) => a.index - b.index).map(i => i.item)
      return { ...final, output }
    },
  }
}

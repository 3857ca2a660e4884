import { usageFromChat } from '#server/utils/convert/anthropic-to-openai/usage'
import { emptyUsage, readUsage } from '#server/utils/convert/openai-to-anthropic/response'
import type { Usage } from '#server/utils/convert/types'
import { asObject } from '#server/utils/convert/values'
import { parseFirstEvent } from '#server/utils/sse/frames'

/** The wire protocols whose usage a passthrough can read. */
export type UsageProtocol = 'anthropic' | 'openai'

/** Reads usage off the events a passthrough relays, without holding or re-encoding them. */
export interface UsageTap {
  /** Whole events as relayed; only the few that carry `"usage"` are parsed. */
  observe(events: Buffer | string): void
  /** What the upstream reported, or undefined when it sent no usage at all. */
  usage(): Usage | undefined
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

/**
 * A usage tap for one stream. Anthropic reports input and cache counts in `message_start` and
 * cumulative output counts in `message_delta` (last value wins); Chat reports everything in the
 * final chunk's `usage`. Every other event is skipped after one substring search.
 */
export function createUsageTap(protocol: UsageProtocol): UsageTap {
  let found: Usage | undefined
  return {
    observe(events) {
      const text = typeof events === 'string' ? events : events.toString('utf8')
      if (!text.includes(USAGE)) return
      for (const frame of text.split(/\r?\n\r?\n/)) {
        if (!frame.includes(USAGE)) continue
        const data = parseFirstEvent(`${frame}\n\n`)?.data
        const json = data === undefined ? undefined : parse(data)
        if (!json) continue
        if (protocol === 'anthropic') {
          found ??= emptyUsage()
          readUsage(json.type === 'message_start' ? asObject(json.message)?.usage : json.usage, found)
        }
        else {
          found = usageFromChat(json.usage) ?? found
        }
      }
    },
    usage: () => found,
  }
}

/** Usage of a whole non-streaming answer body in the upstream's protocol, read once. */
export function usageOfBody(protocol: UsageProtocol, body: Buffer | string): Usage | undefined {
  const json = parse(typeof body === 'string' ? body : body.toString('utf8'))
  if (!json) return undefined
  if (protocol === 'openai') return usageFromChat(json.usage)
  if (!asObject(json.usage)) return undefined
  const usage = emptyUsage()
  readUsage(json.usage, usage)
  return usage
}

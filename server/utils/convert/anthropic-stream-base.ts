import { messageStartFrame } from './anthropic-frames'
import { estimatedUsage } from './anthropic-to-openai/usage'
import type { ConvertContext, JsonObject, NewId, StreamConverter, Usage } from './types'
import { asObject } from './values'

/**
 * What the converters that write Anthropic Messages SSE from another protocol's stream share:
 * `message_start` once, before anything else; nothing after the stream has ended; usage as the
 * upstream reported it, or estimated from the text sent when it reported none.
 */
export abstract class AnthropicStreamBase implements Pick<StreamConverter, 'start' | 'usage' | 'finished'> {
  protected started = false
  protected ended = false
  /** Ended with a proper `message_stop` (not an error event). */
  protected completed = false
  /** The next Anthropic content block's index. */
  protected nextIndex = 0
  protected reported?: Usage
  /** Characters of text and tool arguments sent, for the estimate. */
  protected outputChars = 0

  constructor(protected readonly ctx: ConvertContext, protected readonly newId: NewId) {}

  get finished(): boolean {
    return this.completed
  }

  start(): string[] {
    if (this.started) return []
    this.started = true
    return [messageStartFrame(this.newId('msg'), this.ctx.requestModel)]
  }

  usage(): Usage {
    return this.reported ?? estimatedUsage(this.outputChars)
  }

  /**
   * An event's data as a JSON object; undefined when it is not one (an empty keep-alive `data:`,
   * a provider's status text), which carries no content.
   */
  protected parse(data: string): JsonObject | undefined {
    try {
      return asObject(JSON.parse(data))
    }
    catch {
      return undefined
    }
  }
}

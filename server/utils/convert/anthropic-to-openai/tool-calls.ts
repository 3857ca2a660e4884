import type { NewId } from '../types'

/**
 * The upstream's tool-call id made legal for Anthropic (`^[a-zA-Z0-9_-]+$`), or a fresh one when
 * the provider sent none. The same id comes back in the next request's `tool_result` and is sent
 * upstream as `tool_call_id`, so the upstream's assistant turn and tool message still match.
 */
export function anthropicToolId(upstreamId: string | undefined, newId: NewId): string {
  const id = upstreamId?.replace(/[^\w-]/g, '_')
  return id || newId('toolu')
}

/** A Chat `function.arguments` as text; a few providers send an object instead of a string. */
export function toolArguments(fn: { arguments?: unknown } | undefined): string {
  const args = fn?.arguments
  return typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args)
}

/**
 * The upstream tool calls of one Chat stream, and which one a `tool_calls` fragment belongs to:
 * by `index`, else by `id`, else the latest call (providers that send the id only on the first
 * fragment and no index). An index reused with a new id starts a new call, as some compatible
 * servers number every call 0.
 */
export class ChatToolCalls<T extends { upstreamId?: string }> {
  /** Every call, in the order its first fragment came. */
  readonly all: T[] = []
  private readonly byKey = new Map<string, T>()
  private last?: T

  constructor(private readonly make: () => T) {}

  /** The call of a fragment, made on its first one; `upstreamId` is left for the caller to set. */
  of(fragment: Record<string, unknown>): T {
    const id = typeof fragment.id === 'string' && fragment.id ? fragment.id : undefined
    const key = typeof fragment.index === 'number' ? `index:${fragment.index}` : id ? `id:${id}` : undefined
    let call = key ? this.byKey.get(key) ?? (id ? this.byKey.get(`id:${id}`) : undefined) : this.last
    if (call && id && call.upstreamId && call.upstreamId !== id) call = undefined
    if (!call) {
      call = this.make()
      this.all.push(call)
    }
    if (key) this.byKey.set(key, call)
    if (id) this.byKey.set(`id:${id}`, call)
    this.last = call
    return call
  }
}

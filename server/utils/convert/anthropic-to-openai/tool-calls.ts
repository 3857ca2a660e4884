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

import { defineEventHandler, getQuery, getRequestHeader, getRouterParam, isError, setResponseHeader, setResponseStatus } from 'h3'
import type { EventHandler, H3Event } from 'h3'
import { ConfigApiError, fieldIssues } from './errors'
import type { FieldIssue } from './errors'
import { formatEtag } from './etag'
import { useConfigStore } from './index'
import type { ConfigStore } from './store'

/** The JSON body of an admin API refusal. */
export interface ErrorBody {
  error: string
  issues?: FieldIssue[]
}

type IssueCarrier = { issues: { path: PropertyKey[], message: string }[] }

function isZodError(value: unknown): value is IssueCarrier {
  return value instanceof Error && value.name === 'ZodError' && Array.isArray((value as Partial<IssueCarrier>).issues)
}

/**
 * Turns a refusal into its status and flat cc-bridge body: ConfigApiError as is, zod failures
 * (thrown directly or wrapped by `readValidatedBody`) as 400 with field-level issues, other h3
 * client errors (bad JSON) with their message. Returns undefined for real faults (500s).
 */
export function toErrorResponse(err: unknown): { status: number, body: ErrorBody } | undefined {
  if (err instanceof ConfigApiError) return { status: err.status, body: { error: err.message } }
  const zodError = isZodError(err) ? err : isError(err) && isZodError(err.data) ? err.data : undefined
  if (zodError) return { status: 400, body: { error: 'Invalid request', issues: fieldIssues(zodError) } }
  if (isError(err) && err.statusCode < 500) return { status: err.statusCode, body: { error: err.message || err.statusMessage || 'Bad request' } }
  return undefined
}

/**
 * Wraps a config admin handler: refusals become `{error}` bodies with their status, and every
 * answer, success or not, carries the config revision as `ETag` so the UI can send it back in
 * `If-Match`.
 */
export function defineConfigRoute<T>(run: (event: H3Event, store: ConfigStore) => Promise<T> | T): EventHandler {
  return defineEventHandler(async (event) => {
    const store = useConfigStore()
    try {
      return await run(event, store)
    }
    catch (err) {
      const refusal = toErrorResponse(err)
      if (!refusal) throw err
      setResponseStatus(event, refusal.status)
      return refusal.body
    }
    finally {
      setResponseHeader(event, 'ETag', formatEtag(store.get().revision))
    }
  })
}

/** The `If-Match` header, for `store.mutate`. */
export function ifMatchOf(event: H3Event): string | undefined {
  return getRequestHeader(event, 'if-match')
}

/** The channel a route names: `?channelId=` when given (cc-bridge accepts it), else `:id`. */
export function channelRefOf(event: H3Event): string {
  const { channelId } = getQuery(event)
  if (typeof channelId === 'string' && channelId.trim()) return channelId
  return getRouterParam(event, 'id', { decode: true }) ?? ''
}

/** The `:keyIndex` route parameter; anything but a plain non-negative integer is a 400. */
export function keyIndexOf(event: H3Event): number {
  const raw = getRouterParam(event, 'keyIndex') ?? ''
  if (!/^\d+$/.test(raw)) throw new ConfigApiError(400, 'Invalid key index')
  return Number(raw)
}

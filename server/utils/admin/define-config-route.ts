import { defineEventHandler, getRequestHeader, getValidatedQuery, getValidatedRouterParams, isError, setResponseHeader, setResponseStatus } from 'h3'
import type { EventHandler, H3Event } from 'h3'
import { z } from 'zod'
import { ConfigApiError, fieldIssues } from '#server/utils/config/errors'
import type { FieldIssue } from '#server/utils/config/errors'
import { formatEtag } from '#server/utils/config/etag'
import type { ConfigStore } from '#server/utils/config/store'
import { useServices, type Services } from '#server/utils/services'
import { blankToUndefined } from '#shared/schemas/blank'

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
 * Turns a refusal into its status and flat body (the Go cc-bridge's shape): ConfigApiError as is, zod failures
 * (thrown directly or wrapped by h3's validators) as 400 with field-level issues, other h3
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
 * Wraps an admin handler: refusals (ConfigApiError, zod failures, h3 client errors) become
 * `{error, issues?}` bodies with their status; real faults go on to Nitro as 500s.
 */
export function defineAdminRoute<T>(run: (event: H3Event, services: Services) => Promise<T> | T): EventHandler<{ body?: unknown }, Promise<T | ErrorBody>> {
  return defineEventHandler(async (event) => {
    try {
      return await run(event, useServices())
    }
    catch (err) {
      const refusal = toErrorResponse(err)
      if (!refusal) throw err
      setResponseStatus(event, refusal.status)
      return refusal.body
    }
  })
}

/**
 * An admin handler over config.json: as {@link defineAdminRoute}, and every answer, success or
 * not, carries the config revision as `ETag` so the UI can send it back in `If-Match`.
 */
export function defineConfigRoute<T>(run: (event: H3Event, store: ConfigStore, services: Services) => Promise<T> | T): EventHandler<{ body?: unknown }, Promise<T | ErrorBody>> {
  return defineAdminRoute(async (event, services) => {
    try {
      return await run(event, services.config, services)
    }
    finally {
      setResponseHeader(event, 'ETag', formatEtag(services.config.get().revision))
    }
  })
}

/** The `If-Match` header, for `store.mutate`. */
export function ifMatchOf(event: H3Event): string | undefined {
  return getRequestHeader(event, 'if-match')
}

const ChannelQuerySchema = z.looseObject({ channelId: z.preprocess(blankToUndefined, z.string().trim().optional()) })
const ChannelParamsSchema = z.object({ id: z.string().min(1) })
const KeyParamsSchema = z.object({ keyIndex: z.string().regex(/^\d+$/, 'Invalid key index: a non-negative integer').transform(Number) })

/** The channel a route names: `?channelId=` when given (as the Go cc-bridge accepts), else `:id`. */
export async function channelRefOf(event: H3Event): Promise<string> {
  const { channelId } = await getValidatedQuery(event, ChannelQuerySchema.parse)
  if (channelId) return channelId
  return (await getValidatedRouterParams(event, ChannelParamsSchema.parse, { decode: true })).id
}

/** The `:keyIndex` route parameter; anything but a plain non-negative integer is a 400. */
export async function keyIndexOf(event: H3Event): Promise<number> {
  return (await getValidatedRouterParams(event, KeyParamsSchema.parse)).keyIndex
}

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { trustedProxyList } from './auth/client-address'
import { blankToUndefined } from '#shared/schemas/blank'

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const

/** An unset or blank variable: the schema's default applies. */

/** `true` unless the variable says otherwise (`false`, `0`, `no`, `off`). */
const flag = (dflt: boolean) => z.preprocess(
  blankToUndefined,
  z.string().optional().transform(v => (v === undefined ? dflt : !['false', '0', 'no', 'off'].includes(v.trim().toLowerCase()))),
)

const positive = (dflt: number) => z.preprocess(
  blankToUndefined,
  z.coerce.number({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' }).default(dflt),
)

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** A duration: `24h`, `90m`, `45s`, `2d`, `500ms`, or a bare number of seconds; kept in ms. */
const duration = (dflt: string) => z.preprocess(
  blankToUndefined,
  z.string().default(dflt).transform((v, ctx) => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(v.trim())
    const ms = m ? Number(m[1]) * DURATION_UNITS_MS[(m[2] ?? 's').toLowerCase()]! : Number.NaN
    if (!(ms > 0)) ctx.addIssue({ code: 'custom', message: 'must be a positive duration such as 24h, 90m or 3600 (seconds)' })
    return ms
  }),
)

/**
 * Every environment variable cc-bridge reads, with its default; the README documents each.
 * Parsed once at start-up: a bad value stops the server with the variable's name.
 */
const EnvSchema = z.object({
  PORT: positive(3000),
  HOST: z.string().default(''),
  /** `production` for the built server, `development` under `npm run dev`; shown in /health. */
  ENV: z.string().default('production').transform(v => (['development', 'dev'].includes(v.toLowerCase()) ? 'development' as const : 'production' as const)),
  /** Unset: a key is generated and stored in the config dir. */
  PROXY_ACCESS_KEY: z.preprocess(blankToUndefined, z.string().trim().optional()),
  CONFIG_DIR: z.preprocess(blankToUndefined, z.string().default('.config')).transform(v => resolve(v)),
  DATABASE_URL: z.preprocess(blankToUndefined, z.string().optional()),
  DATABASE_AUTH_TOKEN: z.preprocess(blankToUndefined, z.string().optional()),
  ENABLE_WEB_UI: flag(true),
  LOG_LEVEL: z.preprocess(
    v => (typeof v === 'string' ? v.trim().toLowerCase() || undefined : v),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  ENABLE_REQUEST_LOGS: flag(true),
  ENABLE_RESPONSE_LOGS: flag(true),
  MAX_REQUEST_BODY_MB: positive(20),
  /** Total time allowed for a non-streaming request, all its upstream attempts together, in ms. */
  REQUEST_TIMEOUT: positive(300_000),
  // What one request may cost upstream: a black-holed or failing pool must not hold a client
  // for minutes or fan one request out to every channel.
  /** Time a streaming request may wait for its first byte, all attempts and retry waits together, in ms. */
  FIRST_BYTE_TIMEOUT: positive(120_000),
  /** Upstream attempts one request may make, retries and fail-overs included. */
  MAX_ATTEMPTS: positive(10),
  /** Connections per upstream origin; requests beyond them queue (see the channel metrics). */
  UPSTREAM_MAX_CONNECTIONS: positive(1024),
  /** Silence on a stream longer than this gets an SSE ping, in ms. */
  STREAM_PING_MS: positive(15_000),
  /** How long an open circuit breaker waits before letting a probe through, in seconds. */
  CIRCUIT_RECOVERY_SECONDS: positive(900),

  // What a hostile client can hold: connections, time to send a request, buffered bodies, key guesses.
  /** Time a client has to send its request headers, in ms. */
  CLIENT_HEADERS_TIMEOUT_MS: positive(15_000),
  /** Time a client has to send its whole request (headers and body), in ms; never the response. */
  CLIENT_REQUEST_TIMEOUT_MS: positive(120_000),
  /** How long an idle keep-alive connection stays open, in ms. */
  CLIENT_KEEP_ALIVE_TIMEOUT_MS: positive(5_000),
  /** Open client connections beyond this get a 503 and are closed. */
  MAX_CONNECTIONS: positive(4096),
  /** Request bytes all requests in flight may hold together before new ones get a 503. */
  MAX_INFLIGHT_BODY_MB: positive(512),
  /** Failed access-key checks from one address before it is locked out. */
  AUTH_FAILURES_BEFORE_LOCKOUT: positive(10),
  /** How long a locked-out address gets 429, in seconds. */
  AUTH_LOCKOUT_SECONDS: positive(300),
  /** CSV of proxy IPs/CIDRs whose `X-Forwarded-For` names the client; unset: the socket address. */
  TRUSTED_PROXIES: z.preprocess(blankToUndefined, z.string().optional()).transform((v, ctx) => {
    const entries = (v ?? '').split(',').map(s => s.trim()).filter(Boolean)
    try {
      trustedProxyList(entries)
    }
    catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message })
    }
    return entries
  }),
  // Request log (the `request_logs` table behind /api/logs).
  /**
   * `false`: proxied requests are not written to the request log (no rows, stats or live feed);
   * for measuring what the log costs. Not `ENABLE_REQUEST_LOGS`, which is the console line.
   */
  ENABLE_REQUEST_LOG_DB: flag(true),
  /** Rows older than this many days are deleted once a day; 0 keeps them forever. */
  LOG_RETENTION_DAYS: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a whole number of days (0 = keep forever)' })
      .int({ error: 'must be a whole number of days (0 = keep forever)' })
      .nonnegative({ error: 'must be a whole number of days (0 = keep forever)' })
      .default(90),
  ),
  /** Keep the request and response bodies of failed requests (masked, 64 KB each). */
  LOG_FAILED_BODIES: flag(false),
  // Responses API sessions (`previous_response_id`, GET/DELETE /v1/responses/{id}).
  /** How long a stored conversation is kept after its last turn. */
  RESPONSES_SESSION_TTL: duration('24h'),
  /** The most one stored conversation (all its turns' input and output) may hold, in MB. */
  RESPONSES_SESSION_MAX_MB: positive(20),
})

/** The environment as cc-bridge uses it. */
export interface Env {
  port: number
  host: string
  mode: 'production' | 'development'
  proxyAccessKey: string | undefined
  configDir: string
  databaseUrl: string
  databaseAuthToken: string | undefined
  enableWebUi: boolean
  logLevel: typeof LOG_LEVELS[number]
  enableRequestLogs: boolean
  enableResponseLogs: boolean
  maxRequestBodyBytes: number
  requestTimeoutMs: number
  firstByteTimeoutMs: number
  maxAttempts: number
  upstreamMaxConnections: number
  streamPingMs: number
  circuitRecoveryMs: number
  clientHeadersTimeoutMs: number
  clientRequestTimeoutMs: number
  clientKeepAliveTimeoutMs: number
  maxConnections: number
  maxInflightBodyBytes: number
  authFailuresBeforeLockout: number
  authLockoutMs: number
  trustedProxies: string[]
  enableRequestLogDb: boolean
  logRetentionDays: number
  logFailedBodies: boolean
  responsesSessionTtlMs: number
  responsesSessionMaxBytes: number
}

/** A bad environment variable; the message names each one and what is wrong with it. */
export class EnvError extends Error {}

/** Loads `.env` from the working directory; variables already set in the environment win. */
function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env')
}

let processEnv: Env | undefined

/**
 * Reads and validates the environment (after `.env`, when reading `process.env`, which is read
 * once: the server entry and the services plugin get the same object). Nitro's own
 * `NITRO_PORT`/`NITRO_HOST` and `NODE_ENV` stand in when cc-bridge's names are unset.
 * Throws an {@link EnvError} naming every bad variable.
 */
export function readEnv(e: NodeJS.ProcessEnv = process.env): Env {
  if (e === process.env) return (processEnv ??= parseEnv(e, true))
  return parseEnv(e, false)
}

function parseEnv(e: NodeJS.ProcessEnv, fromProcess: boolean): Env {
  if (fromProcess) loadDotEnv()
  const parsed = EnvSchema.safeParse({
    ...e,
    PORT: e.PORT ?? e.NITRO_PORT,
    HOST: e.HOST ?? e.NITRO_HOST,
    ENV: e.ENV ?? e.NODE_ENV,
  })
  if (!parsed.success) {
    const issues = parsed.error.issues.map(i => `${String(i.path[0])}: ${i.message}, got "${e[String(i.path[0])] ?? ''}"`)
    throw new EnvError(`invalid environment: ${issues.join('; ')}`)
  }
  const v = parsed.data
  return {
    port: v.PORT,
    host: v.HOST,
    mode: v.ENV,
    proxyAccessKey: v.PROXY_ACCESS_KEY || undefined,
    configDir: v.CONFIG_DIR,
    databaseUrl: v.DATABASE_URL ?? `file:${resolve(v.CONFIG_DIR, 'cc-bridge.db')}`,
    databaseAuthToken: v.DATABASE_AUTH_TOKEN,
    enableWebUi: v.ENABLE_WEB_UI,
    logLevel: v.LOG_LEVEL,
    enableRequestLogs: v.ENABLE_REQUEST_LOGS,
    enableResponseLogs: v.ENABLE_RESPONSE_LOGS,
    maxRequestBodyBytes: Math.floor(v.MAX_REQUEST_BODY_MB * 1024 * 1024),
    requestTimeoutMs: v.REQUEST_TIMEOUT,
    firstByteTimeoutMs: v.FIRST_BYTE_TIMEOUT,
    maxAttempts: Math.floor(v.MAX_ATTEMPTS) || 1,
    upstreamMaxConnections: Math.floor(v.UPSTREAM_MAX_CONNECTIONS) || 1,
    streamPingMs: v.STREAM_PING_MS,
    circuitRecoveryMs: v.CIRCUIT_RECOVERY_SECONDS * 1000,
    clientHeadersTimeoutMs: v.CLIENT_HEADERS_TIMEOUT_MS,
    clientRequestTimeoutMs: v.CLIENT_REQUEST_TIMEOUT_MS,
    clientKeepAliveTimeoutMs: v.CLIENT_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: Math.floor(v.MAX_CONNECTIONS),
    maxInflightBodyBytes: Math.floor(v.MAX_INFLIGHT_BODY_MB * 1024 * 1024),
    authFailuresBeforeLockout: Math.ceil(v.AUTH_FAILURES_BEFORE_LOCKOUT),
    authLockoutMs: v.AUTH_LOCKOUT_SECONDS * 1000,
    trustedProxies: v.TRUSTED_PROXIES,
    enableRequestLogDb: v.ENABLE_REQUEST_LOG_DB,
    logRetentionDays: v.LOG_RETENTION_DAYS,
    logFailedBodies: v.LOG_FAILED_BODIES,
    responsesSessionTtlMs: v.RESPONSES_SESSION_TTL,
    responsesSessionMaxBytes: Math.floor(v.RESPONSES_SESSION_MAX_MB * 1024 * 1024),
  }
}

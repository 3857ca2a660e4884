import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const

/** An unset or blank variable: the schema's default applies. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

/** `true` unless the variable says otherwise (`false`, `0`, `no`, `off`). */
const flag = (dflt: boolean) => z.preprocess(
  blankToUndefined,
  z.string().optional().transform(v => (v === undefined ? dflt : !['false', '0', 'no', 'off'].includes(v.trim().toLowerCase()))),
)

const positive = (dflt: number) => z.preprocess(
  blankToUndefined,
  z.coerce.number({ error: 'must be a positive number' }).positive({ error: 'must be a positive number' }).default(dflt),
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
  /** Total time allowed for a non-streaming upstream call, in ms. */
  REQUEST_TIMEOUT: positive(300_000),
  /** Silence on a stream longer than this gets an SSE ping, in ms. */
  STREAM_PING_MS: positive(15_000),
  /** How long an open circuit breaker waits before letting a probe through, in seconds. */
  CIRCUIT_RECOVERY_SECONDS: positive(900),

  // Request log (the `request_logs` table behind /api/logs).
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
  streamPingMs: number
  circuitRecoveryMs: number
  logRetentionDays: number
  logFailedBodies: boolean
}

/** A bad environment variable; the message names each one and what is wrong with it. */
export class EnvError extends Error {}

/** Loads `.env` from the working directory; variables already set in the environment win. */
function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env')
}

/**
 * Reads and validates the environment (after `.env`, when reading `process.env`). Nitro's own
 * `NITRO_PORT`/`NITRO_HOST` and `NODE_ENV` stand in when cc-bridge's names are unset.
 * Throws an {@link EnvError} naming every bad variable.
 */
export function readEnv(e: NodeJS.ProcessEnv = process.env): Env {
  if (e === process.env) loadDotEnv()
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
    streamPingMs: v.STREAM_PING_MS,
    circuitRecoveryMs: v.CIRCUIT_RECOVERY_SECONDS * 1000,
    logRetentionDays: v.LOG_RETENTION_DAYS,
    logFailedBodies: v.LOG_FAILED_BODIES,
  }
}

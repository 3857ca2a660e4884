import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** Every environment variable cc-bridge reads, with its default. The README documents each. */
export interface Env {
  port: number
  host: string
  /** `production` for the built server, `development` under `npm run dev`; shown in /health. */
  mode: 'production' | 'development'
  /** `undefined` when unset: a key is then generated and stored in the config dir. */
  proxyAccessKey: string | undefined
  configDir: string
  databaseUrl: string
  databaseAuthToken: string | undefined
  enableWebUi: boolean
  logLevel: 'error' | 'warn' | 'info' | 'debug'
  enableRequestLogs: boolean
  enableResponseLogs: boolean
  maxRequestBodyBytes: number
  /** Total time allowed for a non-streaming upstream call, in ms. */
  requestTimeoutMs: number
  /** Silence on a stream longer than this gets an SSE ping, in ms. */
  streamPingMs: number
  /** How long an open circuit breaker waits before letting a probe through, in ms. */
  circuitRecoveryMs: number
}

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v.trim() === '') return dflt
  return !['false', '0', 'no', 'off'].includes(v.trim().toLowerCase())
}

function positiveNumber(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined || v.trim() === '') return dflt
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${v}"`)
  return n
}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const

let dotEnvLoaded = false

/** Loads `.env` from the working directory once; variables already set in the environment win. */
function loadDotEnv(): void {
  if (dotEnvLoaded) return
  dotEnvLoaded = true
  if (existsSync('.env')) process.loadEnvFile('.env')
}

/**
 * Reads and validates the environment (after `.env`, when reading `process.env`).
 * Throws with the variable's name on a bad value.
 */
export function readEnv(e: NodeJS.ProcessEnv = process.env): Env {
  if (e === process.env) loadDotEnv()
  const rawMode = (e.ENV ?? e.NODE_ENV ?? 'production').toLowerCase()
  const mode = rawMode === 'development' || rawMode === 'dev' ? 'development' : 'production'
  const logLevel = (e.LOG_LEVEL ?? 'info').toLowerCase() as Env['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${e.LOG_LEVEL}"`)
  const configDir = resolve(e.CONFIG_DIR || '.config')
  const key = e.PROXY_ACCESS_KEY?.trim()
  return {
    port: positiveNumber('PORT', e.PORT ?? e.NITRO_PORT, 3000),
    host: e.HOST ?? e.NITRO_HOST ?? '',
    mode,
    proxyAccessKey: key ? key : undefined,
    configDir,
    databaseUrl: e.DATABASE_URL || `file:${resolve(configDir, 'cc-bridge.db')}`,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN || undefined,
    enableWebUi: bool(e.ENABLE_WEB_UI, true),
    logLevel,
    enableRequestLogs: bool(e.ENABLE_REQUEST_LOGS, true),
    enableResponseLogs: bool(e.ENABLE_RESPONSE_LOGS, true),
    maxRequestBodyBytes: Math.floor(positiveNumber('MAX_REQUEST_BODY_MB', e.MAX_REQUEST_BODY_MB, 20) * 1024 * 1024),
    requestTimeoutMs: positiveNumber('REQUEST_TIMEOUT', e.REQUEST_TIMEOUT, 300_000),
    streamPingMs: positiveNumber('STREAM_PING_MS', e.STREAM_PING_MS, 15_000),
    circuitRecoveryMs: positiveNumber('CIRCUIT_RECOVERY_SECONDS', e.CIRCUIT_RECOVERY_SECONDS, 900) * 1000,
  }
}

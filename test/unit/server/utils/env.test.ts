import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EnvError, readEnv } from '#server/utils/env'

describe('readEnv', () => {
  it('gives every variable its documented default', () => {
    expect(readEnv({})).toEqual({
      port: 3000, host: '', mode: 'production', proxyAccessKey: undefined,
      configDir: resolve('.config'), databaseUrl: `file:${resolve('.config', 'cc-bridge.db')}`, databaseAuthToken: undefined,
      enableWebUi: true, logLevel: 'info', enableRequestLogs: true, enableResponseLogs: true,
      maxRequestBodyBytes: 20 * 1024 * 1024, requestTimeoutMs: 300_000, streamPingMs: 15_000, circuitRecoveryMs: 900_000,
      firstByteTimeoutMs: 120_000, maxAttempts: 10, upstreamMaxConnections: 1024,
      authFailuresBeforeLockout: 10, authLockoutMs: 300_000, clientHeadersTimeoutMs: 15_000, clientKeepAliveTimeoutMs: 5_000,
      clientRequestTimeoutMs: 120_000, maxConnections: 4096, maxInflightBodyBytes: 512 * 1024 * 1024, trustedProxies: [],
      enableRequestLogDb: true, logRetentionDays: 90, logFailedBodies: false,
      responsesSessionTtlMs: 24 * 3_600_000, responsesSessionMaxBytes: 20 * 1024 * 1024,
    })
  })

  it('reads RESPONSES_SESSION_TTL as a duration, bare numbers in seconds', () => {
    expect(readEnv({ RESPONSES_SESSION_TTL: '90m' }).responsesSessionTtlMs).toBe(90 * 60_000)
    expect(readEnv({ RESPONSES_SESSION_TTL: '3600' }).responsesSessionTtlMs).toBe(3_600_000)
    expect(readEnv({ RESPONSES_SESSION_TTL: '2d' }).responsesSessionTtlMs).toBe(2 * 86_400_000)
    expect(readEnv({ RESPONSES_SESSION_TTL: '500ms' }).responsesSessionTtlMs).toBe(500)
    expect(() => readEnv({ RESPONSES_SESSION_TTL: 'forever' })).toThrow(/RESPONSES_SESSION_TTL: must be a positive duration/)
    expect(() => readEnv({ RESPONSES_SESSION_TTL: '0h' })).toThrow(/RESPONSES_SESSION_TTL/)
  })

  it('reads values, treats blank as unset, and falls back to Nitro\'s own names', () => {
    const env = readEnv({
      NITRO_PORT: '8080', ENV: 'dev', PROXY_ACCESS_KEY: '  key-with-spaces-0123  ', CONFIG_DIR: '/tmp/ccb', LOG_LEVEL: 'DEBUG',
      ENABLE_WEB_UI: 'off', ENABLE_REQUEST_LOGS: '', MAX_REQUEST_BODY_MB: '0.5', CIRCUIT_RECOVERY_SECONDS: '2', DATABASE_URL: ' ',
    })
    expect(env).toMatchObject({
      port: 8080, mode: 'development', proxyAccessKey: 'key-with-spaces-0123', configDir: '/tmp/ccb', logLevel: 'debug',
      enableWebUi: false, enableRequestLogs: true, maxRequestBodyBytes: 524288, circuitRecoveryMs: 2000, databaseUrl: 'file:/tmp/ccb/cc-bridge.db',
    })
    expect(readEnv({ PORT: '9', NITRO_PORT: '8' }).port).toBe(9)
    expect(readEnv({ LOG_RETENTION_DAYS: '0', LOG_FAILED_BODIES: 'true' })).toMatchObject({ logRetentionDays: 0, logFailedBodies: true })
    expect(readEnv({ ENABLE_REQUEST_LOG_DB: 'false', ENABLE_REQUEST_LOGS: 'true' })).toMatchObject({ enableRequestLogDb: false, enableRequestLogs: true })
  })

  it('names every bad variable in one environment error', () => {
    expect(() => readEnv({ LOG_LEVEL: 'verbose' })).toThrow(EnvError)
    expect(() => readEnv({ LOG_LEVEL: 'verbose' })).toThrow('LOG_LEVEL: must be one of error, warn, info, debug, got "verbose"')
    expect(() => readEnv({ PORT: 'abc', REQUEST_TIMEOUT: '-1' })).toThrow(/PORT: must be a positive number, got "abc"; REQUEST_TIMEOUT: must be a positive number, got "-1"/)
    expect(() => readEnv({ LOG_RETENTION_DAYS: '1.5' })).toThrow('LOG_RETENTION_DAYS: must be a whole number of days (0 = keep forever), got "1.5"')
  })
})

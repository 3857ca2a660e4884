import { join } from 'node:path'
import { POOLS, type Config, type PoolName, type StoredChannel } from '#shared/schemas/config'
import type { BlockList } from 'node:net'
import { AuthLockout } from './auth/lockout'
import { trustedProxyList } from './auth/client-address'
import type { ConfigStore } from './config/store'
import { BUSY_TIMEOUT_MS, createDb, localPath, type Db } from './db/client'
import { createKeyOrderStore, type KeyOrderStore } from './db/key-order'
import { createResponseSessionStore, type ResponseSessionStore } from './db/response-sessions'
import { applyMigrations, type MigrationReader } from './db/migrate'
import { createSuspensionStore, type PersistentSuspensionStore } from './db/suspensions'
import type { Env } from './env'
import { log } from './log'
import { createPricingStore, type PricingStore } from './pricing/store'
import { BodyBudget } from './proxy/body-budget'
import { closeOrphanedLogs } from './logs/query'
import { LOG_QUEUE_DEFAULTS } from './logs/queue'
import { readDeferredHere } from './logs/answer-columns'
import { createRequestLog, type RequestLogService } from './logs/request-log'
import { startRetention } from './logs/retention'
import { seedChannelMetrics } from './logs/seed'
import { createWorkerWriter } from './logs/write-worker'
import { createCompactionSealer, loadCompactionKey, type CompactionSealer } from './responses/compaction'
import { createScheduler, type Scheduler } from './scheduler/scheduler'
import { setUpstreamConnectionLimit } from './upstream/dispatcher'
import { OutputLimits } from './upstream/output-limits'

/** Everything a request may need, built once at start-up by the services plugin. */
export interface Services {
  env: Env
  /** config.json: the human's file. */
  config: ConfigStore
  db: Db
  /** Quota suspensions, cached in memory and written through to the database. */
  suspensions: PersistentSuspensionStore
  /** Keys demoted after a 429, over config.json's order; in the database. */
  keyOrder: KeyOrderStore
  /** Model prices (USD per 1M tokens), cached in memory and written through to the database. */
  pricing: PricingStore
  scheduler: Scheduler
  /** One row per proxied request, written off the hot path; the live stream's source. */
  requestLog: RequestLogService
  /** Output-token limits learnt from upstream refusals, per channel and model. */
  outputLimits: OutputLimits
  /** Responses turns kept for `previous_response_id` and GET/DELETE /v1/responses/{id}. */
  responseSessions: ResponseSessionStore
  /** Seals and opens emulated compaction items; its key is made on first use (CONFIG_DIR/compaction-key). */
  compaction(): CompactionSealer
  /** Compares a presented credential with the access key in constant time. */
  isAccessKey: (presented: string | undefined) => boolean
  /** Failed access-key checks per client address, and the lockouts they led to. */
  authLockout: AuthLockout
  /** `TRUSTED_PROXIES`: the peers whose `X-Forwarded-For` names the client. */
  trustedProxies: BlockList
  /** Request bytes held by the requests in flight, within `MAX_INFLIGHT_BODY_MB`. */
  bodyBudget: BodyBudget
  /** Stops watching config.json, ends the log streams, flushes pending writes and closes the database. */
  close(): Promise<void>
}

export interface ServicesInput {
  env: Env
  config: ConfigStore
  isAccessKey: (presented: string | undefined) => boolean
  /** Reads the bundled migrations. */
  migrations: MigrationReader
}

/** Keeps the scheduler's per-channel state in step with the config (saves and hot reloads). */
function syncScheduler(scheduler: Scheduler, config: Config): void {
  for (const pool of Object.keys(POOLS) as PoolName[]) {
    scheduler.sync(pool, (config[POOLS[pool].channels] ?? []) as StoredChannel[])
  }
}

/**
 * The request log at start-up: rows a stopped process left running become `timeout`, the
 * channel metrics are re-seeded from the rows, and the daily retention cleanup starts.
 */
async function startRequestLog(db: Db, env: Env, scheduler: Scheduler, config: Config, pricing: PricingStore) {
  const now = Date.now()
  const path = localPath(env.databaseUrl)
  const orphaned = await closeOrphanedLogs(db, now)
  if (orphaned) log.info(`[logs] ${orphaned} requests were still running when cc-bridge last stopped: marked timeout`)
  const seeded = await seedChannelMetrics(db, scheduler, config, now)
  if (seeded) log.info(`[logs] channel metrics re-seeded from the request log for ${seeded} channels`)
  // The built server's entry URL: the writer thread's file sits beside it. No thread when
  // nothing is logged. It reads and prices the answers left to it with the table as it was when
  // each request ended: it gets every new state of the table.
  const writer = env.enableRequestLogDb && path
    ? createWorkerWriter(path, BUSY_TIMEOUT_MS, import.meta.url, { ...LOG_QUEUE_DEFAULTS, logError: log.error, pricing: pricing.snapshot() })
    : undefined
  const stopPricing = writer ? pricing.subscribe(snapshot => writer.setPricing(snapshot)) : () => {}
  const stopRetention = startRetention(db, { days: env.logRetentionDays, logInfo: log.info, logError: log.error })
  return {
    requestLog: createRequestLog(db, {
      keepFailedBodies: env.logFailedBodies,
      writer,
      // Once the thread is gone, the main connection reads what was left to it, at today's prices.
      readDeferred: (answer, requestedModel) => readDeferredHere(answer, requestedModel, pricing),
    }),
    stop() {
      stopPricing()
      stopRetention()
    },
  }
}

/**
 * Opens the database, applies pending migrations, loads the stores' caches and wires the
 * scheduler to the config. Rejects when the database cannot be used: serving without it would
 * put suspended channels and demoted keys silently back into rotation.
 */
export async function createServices({ env, config, isAccessKey, migrations }: ServicesInput): Promise<Services> {
  const db = await createDb(env.databaseUrl, env.databaseAuthToken)
  const applied = await applyMigrations(db.$client, migrations)
  log.info(applied.length ? `[db] applied migrations: ${applied.join(', ')}` : '[db] no pending migrations')
  const suspensions = createSuspensionStore(db)
  const keyOrder = createKeyOrderStore(db)
  const pricing = createPricingStore(db, { goPricingPath: join(env.configDir, 'pricing.json') })
  await Promise.all([suspensions.load(), keyOrder.load(), pricing.load()])
  const responseSessions = createResponseSessionStore(db, { ttlMs: env.responsesSessionTtlMs })
  let sealer: CompactionSealer | undefined
  const scheduler = createScheduler({ suspensions, recoveryMs: env.circuitRecoveryMs })
  setUpstreamConnectionLimit(env.upstreamMaxConnections)
  syncScheduler(scheduler, config.get().config)
  const logs = await startRequestLog(db, env, scheduler, config.get().config, pricing)
  const unsubscribe = config.onChange(snapshot => syncScheduler(scheduler, snapshot.config))
  return {
    env, config, db, suspensions, keyOrder, pricing, scheduler, isAccessKey,
    requestLog: logs.requestLog,
    outputLimits: new OutputLimits(),
    authLockout: new AuthLockout({ failuresBeforeLockout: env.authFailuresBeforeLockout, lockoutMs: env.authLockoutMs }),
    trustedProxies: trustedProxyList(env.trustedProxies),
    bodyBudget: new BodyBudget(env.maxInflightBodyBytes),
    responseSessions,
    compaction: () => (sealer ??= createCompactionSealer(loadCompactionKey(env.configDir))),
    async close() {
      unsubscribe()
      logs.stop()
      config.close()
      responseSessions.close()
      await config.settled()
      await Promise.all([suspensions.flush(), keyOrder.flush(), pricing.flush(), responseSessions.flush(), logs.requestLog.close()])
      db.$client.close()
    },
  }
}

let current: Services | undefined
let pending: Promise<Services> | undefined

/** Installs the services once they are built; requests wait for them (see {@link readyServices}). */
export function provideServices(building: Promise<Services>): void {
  current = undefined
  pending = building.then((services) => {
    current = services
    pending = undefined
    return services
  })
}

/**
 * The services, or the promise of them while start-up is still running (Nitro 2 does not await
 * async plugins). Once they are up this is a plain value, so the hot path awaits nothing.
 */
export function readyServices(): Services | Promise<Services> {
  if (current) return current
  if (pending) return pending
  throw new Error('cc-bridge services are not set up: server/plugins/0.services.ts builds them')
}

/** The services, for code that runs after start-up (admin routes wait for it in a request hook). */
export function useServices(): Services {
  if (!current) throw new Error('cc-bridge services are not ready yet')
  return current
}

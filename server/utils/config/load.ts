import { randomBytes } from 'node:crypto'
import { CHANNEL_POOL_KEYS, ConfigSchema } from '#shared/schemas/config'
import type { Config } from '#shared/schemas/config'
import { ConfigFileError, fieldIssues } from './errors'

/** The file name inside `CONFIG_DIR`, as in the Go cc-bridge. */
export const CONFIG_FILE = 'config.json'

/** What a parse produced, and what normalisation changed (non-empty means the file needs a save). */
export interface ParsedConfig {
  config: Config
  changes: string[]
}

/** The pools that still honour cc-bridge's pre-status single-channel fields. */
const LEGACY_CURRENT = [
  ['upstream', 'currentUpstream'],
  ['responsesUpstream', 'currentResponsesUpstream'],
] as const

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Before channels had a status, `currentUpstream` picked the one channel in use. When no channel
 * of a pool has a status yet, the picked one becomes `active` and the rest `disabled`, as the Go cc-bridge
 * does. The legacy fields are dropped either way, so the next save no longer writes them.
 */
function migrateLegacy(raw: Record<string, unknown>): string[] {
  const changes: string[] = []
  if ((raw.responsesLoadBalance === undefined || raw.responsesLoadBalance === '') && typeof raw.loadBalance === 'string') {
    raw.responsesLoadBalance = raw.loadBalance
  }
  for (const [poolKey, currentKey] of LEGACY_CURRENT) {
    const channels = raw[poolKey]
    const current = raw[currentKey]
    Reflect.deleteProperty(raw, currentKey)
    if (!Array.isArray(channels) || channels.length === 0 || !channels.every(isRecord)) continue
    if (channels.some(c => typeof c.status === 'string' && c.status !== '')) continue
    const pick = Number.isInteger(current) && (current as number) >= 0 && (current as number) < channels.length ? current as number : 0
    channels.forEach((c, i) => {
      c.status = i === pick ? 'active' : 'disabled'
    })
    changes.push(`${poolKey}: migrated legacy ${currentKey}; channel ${pick} is active, the others disabled`)
  }
  return changes
}

/** Every channel id in use, across all pools. */
export function collectChannelIds(config: Config): Set<string> {
  const ids = new Set<string>()
  for (const key of CHANNEL_POOL_KEYS) {
    for (const channel of config[key]) if (channel.id) ids.add(channel.id)
  }
  return ids
}

/** A fresh channel id (8 lowercase hex characters) not in `taken`; adds it to `taken`. */
export function newChannelId(taken: Set<string>): string {
  let id: string
  do id = randomBytes(4).toString('hex')
  while (taken.has(id))
  taken.add(id)
  return id
}

/** Ids key metrics, logs and composite targets, so two channels sharing one is a config error. */
function checkUniqueIds(config: Config, source: string): void {
  const seen = new Map<string, string>()
  for (const key of CHANNEL_POOL_KEYS) {
    config[key].forEach((channel, i) => {
      if (!channel.id) return
      const where = `${key}[${i}].id`
      const first = seen.get(channel.id)
      if (first) throw new ConfigFileError(`${source}: ${where}: duplicate channel id "${channel.id}" (also ${first})`)
      seen.set(channel.id, where)
    })
  }
}

function assignMissingIds(config: Config): string[] {
  const taken = collectChannelIds(config)
  const changes: string[] = []
  for (const key of CHANNEL_POOL_KEYS) {
    config[key].forEach((channel, i) => {
      if (channel.id) return
      channel.id = newChannelId(taken)
      changes.push(`${key}[${i}] (${channel.name || 'unnamed'}): generated id ${channel.id}`)
    })
  }
  return changes
}

/**
 * Parses config.json text: JSON, legacy migration, the schema, id uniqueness, then ids for
 * channels that lack one. Throws a ConfigFileError whose message starts with `source` and names
 * every bad field, e.g. `upstream[0].baseUrl: must be an http(s) URL`.
 */
/**
 * Where a JSON syntax error is, as line and column. Only the place: V8's own message quotes the
 * text around the error, which in config.json can be part of an upstream API key.
 */
function jsonErrorPlace(text: string, err: Error): string {
  const position = Number(/position (\d+)/.exec(err.message)?.[1])
  if (!Number.isInteger(position)) return ''
  const before = text.slice(0, position).split('\n')
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`
}

export function parseConfigText(text: string, source: string): ParsedConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  }
  catch (err) {
    throw new ConfigFileError(`${source} is not valid JSON${jsonErrorPlace(text, err as Error)}`)
  }
  if (!isRecord(raw)) throw new ConfigFileError(`${source}: (root): expected a JSON object`)
  const changes = migrateLegacy(raw)
  const result = ConfigSchema.safeParse(raw)
  if (!result.success) {
    const detail = fieldIssues(result.error).map(i => `${i.path}: ${i.message}`).join('; ')
    throw new ConfigFileError(`${source}: ${detail}`)
  }
  checkUniqueIds(result.data, source)
  changes.push(...assignMissingIds(result.data))
  return { config: result.data, changes }
}

/** The file written when none exists (as the Go cc-bridge does): empty pools, `failover` everywhere, default policies. */
export function defaultConfig(): Config {
  return ConfigSchema.parse({
    userAgent: {
      messages: { latest: 'claude-cli/2.1.12 (external, cli)' },
      responses: { latest: 'codex_cli_rs/0.73.0 (Linux; x86_64)' },
    },
    outboundHeaderPolicy: { enabled: true, stripRules: ['Cf-*', 'X-Forwarded-*'], initialized: true },
  })
}

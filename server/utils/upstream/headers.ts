import type { IncomingHttpHeaders } from 'node:http'
import { parseRetryAfter } from '#server/utils/http/retry-after'

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1), ones the HTTP client recomputes, and `expect`: a
 * `100-continue` is settled between the client and cc-bridge (curl sends it by itself for bodies
 * over 1 MB). This covers every header undici refuses outright (`expect`, `transfer-encoding`,
 * `keep-alive`, `upgrade`, a `connection` it cannot parse) or sets itself (`host`, `content-length`).
 */
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect',
])

/** Client credentials for cc-bridge itself: replaced by the channel key, never forwarded. */
const CLIENT_CREDENTIALS = new Set(['x-api-key', 'authorization', 'x-goog-api-key', 'x-proxy-key'])

/**
 * Headers that must not reach the upstream: `accept-encoding` so the upstream answers in
 * identity encoding (the proxy reads SSE event boundaries); forwarding headers and Cloudflare's
 * would reveal the client's network to the provider (the Go cc-bridge's default strip rules).
 */
function dropped(name: string): boolean {
  return HOP_BY_HOP.has(name) || CLIENT_CREDENTIALS.has(name) || name === 'accept-encoding'
    || name.startsWith('x-forwarded-') || name.startsWith('cf-') || name === 'forwarded' || name === 'x-real-ip'
}

/**
 * The headers sent upstream: the client's own (so `anthropic-version`, `anthropic-beta` and
 * unknown capability headers pass verbatim) minus the above, plus the channel key —
 * `sk-ant-…` keys as `x-api-key`, anything else as `Authorization: Bearer`.
 */
export function buildUpstreamHeaders(client: IncomingHttpHeaders, channelKey: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(client)) {
    if (value === undefined || dropped(name)) continue
    out[name] = value
  }
  return Object.assign(out, channelAuth(channelKey))
}

/** How a channel key is sent: Anthropic keys (`sk-ant-…`) as `x-api-key`, any other as a Bearer token. */
function channelAuth(channelKey: string): Record<string, string> {
  return channelKey.startsWith('sk-ant-') ? { 'x-api-key': channelKey } : { authorization: `Bearer ${channelKey}` }
}

/** The wire protocol a converted request is sent in. */
export type UpstreamProtocol = 'anthropic' | 'openai'

/**
 * Headers for a converted request: a fresh, minimal set in the channel's protocol, since the
 * client's own (Anthropic betas, SDK fingerprints) mean nothing to the other protocol's API.
 * Only the client's user agent is kept.
 */
export function buildConvertedHeaders(client: IncomingHttpHeaders, channelKey: string, protocol: UpstreamProtocol, stream: boolean): Record<string, string> {
  const out: Record<string, string> = {
    'content-type': 'application/json',
    'accept': stream ? 'text/event-stream' : 'application/json',
  }
  const ua = client['user-agent']
  if (ua) out['user-agent'] = ua
  if (protocol === 'anthropic') return Object.assign(out, { 'anthropic-version': '2023-06-01' }, channelAuth(channelKey))
  out.authorization = `Bearer ${channelKey}`
  return out
}

const RESPONSE_DROPPED = new Set([...HOP_BY_HOP, 'content-encoding'])

/** Longest `retry-after` Claude Code still honours: above 60 s it stops retrying at once. */
export const MAX_RETRY_AFTER_SECONDS = 60

/**
 * `retry-after` for the client, in whole seconds capped at 60; an HTTP-date is converted. An
 * unreadable value becomes the cap, since the upstream did ask the client to wait.
 */
export function capRetryAfter(value: string | readonly string[], now = Date.now()): string {
  const secs = parseRetryAfter(value, now)
  return String(secs === undefined ? MAX_RETRY_AFTER_SECONDS : Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil(secs)))
}

/**
 * Upstream response headers to relay to the client: hop-by-hop and encoding headers dropped
 * (the body is relayed as received, in identity encoding), `retry-after` capped.
 * `content-length` is kept only when the body is relayed unchanged.
 */
export function buildClientHeaders(upstream: Record<string, string | string[] | undefined>, keepLength: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined) continue
    if (name === 'content-length' ? !keepLength : RESPONSE_DROPPED.has(name)) continue
    out[name] = name === 'retry-after' ? capRetryAfter(value) : value
  }
  return out
}

import { request } from 'undici'
import type { StoredChannel } from '#shared/schemas/config'
import { readUpstreamError } from '#server/utils/http/upstream-error'
import { dispatcherFor } from './dispatcher'
import { buildUpstreamHeaders } from './headers'
import { joinUpstreamUrl } from './url'

const TIMEOUT_MS = 5000

/** One model as an upstream lists it (Anthropic and OpenAI lists both have `id`). */
export interface UpstreamModel {
  id: string
  display_name?: string
}

/**
 * Fetches a channel's model list (`GET {base}/v1/models`) with its first key. Throws with the
 * upstream's status on an error answer; never called on the proxy hot path.
 */
export async function fetchChannelModels(channel: StoredChannel): Promise<UpstreamModel[]> {
  const key = channel.apiKeys[0]
  if (!key) throw new Error(`channel "${channel.name}" has no API key`)
  const headers = buildUpstreamHeaders({ 'anthropic-version': '2023-06-01' }, key)
  const res = await request(joinUpstreamUrl(channel.baseUrl, 'models', '?limit=1000'), {
    method: 'GET', headers, dispatcher: dispatcherFor(channel.insecureSkipVerify),
    headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, signal: AbortSignal.timeout(TIMEOUT_MS),
  })
  const text = await res.body.text()
  if (res.statusCode >= 400) {
    const read = readUpstreamError(text)
    throw new Error(`upstream answered ${res.statusCode}: ${read.message ?? read.text}`)
  }
  const data = (JSON.parse(text) as { data?: unknown }).data
  if (!Array.isArray(data)) throw new Error('upstream model list has no data array')
  return data.filter((m): m is UpstreamModel => typeof (m as UpstreamModel)?.id === 'string')
}

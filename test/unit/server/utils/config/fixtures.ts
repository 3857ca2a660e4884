import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh empty directory under the OS temp dir. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cc-bridge-config-'))
}

/** Writes `value` as config.json in `dir`, pretty-printed as Go's MarshalIndent does. */
export async function writeConfigJson(dir: string, value: unknown): Promise<string> {
  const file = join(dir, 'config.json')
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2))
  return file
}

/** A silent logger that remembers what it was told. */
export function memoryLog() {
  const lines: { level: string, message: string }[] = []
  const at = (level: string) => (message: string) => {
    lines.push({ level, message })
  }
  return { lines, info: at('info'), warn: at('warn'), error: at('error') }
}

/**
 * A config.json as the Go cc-bridge (v1.5.x) writes it: its field order, `status`/`priority`
 * always present, and fields we do not model yet (quotas, composite mappings, OAuth tokens,
 * content filter, debug log, user agent, header policy).
 */
export function goConfig() {
  return {
    upstream: [
      {
        id: '3f9a1c2e',
        baseUrl: 'https://api.anthropic.com',
        apiKeys: ['sk-ant-api03-aaaaaaaaaaaaaaaaaaaa-1111', 'sk-ant-api03-bbbbbbbbbbbbbbbbbbbb-2222'],
        serviceType: 'claude',
        name: 'Anthropic direct',
        description: 'main account',
        website: 'https://console.anthropic.com',
        modelMapping: { 'claude-3-5-haiku': 'claude-haiku-4-5' },
        responseHeaderTimeout: 90,
        priority: 1,
        status: 'active',
        priceMultipliers: { _default: { inputMultiplier: 0.8, outputMultiplier: 0.8 } },
        quotaType: 'credit',
        quotaLimit: 50,
        quotaResetAt: '2026-02-01T00:00:00Z',
        quotaResetInterval: 1,
        quotaResetUnit: 'months',
        quotaModels: ['opus'],
        rateLimitRpm: 60,
        queueEnabled: true,
        queueTimeout: 30,
        keyLoadBalance: 'round-robin',
        contentFilter: { enabled: true, rules: [{ keyword: 'quota exceeded', statusCode: 429 }] },
      },
      {
        id: 'b07d44e1',
        baseUrl: 'https://openrouter.ai/api/v1',
        apiKeys: ['sk-or-v1-cccccccccccccccccccccccc'],
        serviceType: 'openai',
        name: 'OpenRouter',
        insecureSkipVerify: false,
        priority: 2,
        status: 'suspended',
        promotionUntil: '2026-01-15T10:00:00Z',
      },
      {
        id: 'c0ffee01',
        baseUrl: '',
        apiKeys: [],
        serviceType: 'composite',
        name: 'Router',
        priority: 3,
        status: 'disabled',
        compositeMappings: [
          { pattern: 'haiku', targetChannelId: 'b07d44e1', failoverChain: ['3f9a1c2e'], failoverTargets: [{ pool: 'messages', channelId: '3f9a1c2e' }] },
          { pattern: 'sonnet', targetChannelId: '3f9a1c2e', failoverChain: ['b07d44e1'], failoverTargets: [{ pool: 'messages', channelId: 'b07d44e1' }] },
          { pattern: 'opus', targetChannelId: '3f9a1c2e', targetPool: 'messages', targetModel: 'claude-opus-4-1', failoverTargets: [{ pool: 'responses', channelId: 'd00dfeed' }] },
        ],
      },
    ],
    loadBalance: 'failover',
    responsesUpstream: [
      {
        id: 'd00dfeed',
        baseUrl: 'https://chatgpt.com/backend-api/codex',
        apiKeys: [],
        serviceType: 'openai-oauth',
        name: 'Codex subscription',
        priority: 0,
        status: 'active',
        oauthTokens: { access_token: 'eyJhbGciOi.access', account_id: 'acct-1', refresh_token: 'rt-secret', last_refresh: '2026-01-10T08:00:00Z' },
        codexServiceTierOverride: 'force_priority',
        responsesWebSocketEnabled: true,
      },
    ],
    responsesLoadBalance: 'round-robin',
    geminiUpstream: [],
    geminiLoadBalance: 'failover',
    chatUpstream: [],
    chatLoadBalance: 'failover',
    debugLog: { enabled: true, retentionHours: 24, maxBodySize: 1048576 },
    failover: {
      enabled: false,
      rules: [{ errorCodes: '429', actionChain: [{ action: 'retry', waitSeconds: 5, maxAttempts: 3 }, { action: 'failover' }] }],
    },
    userAgent: {
      messages: { latest: 'claude-cli/2.1.12 (external, cli)', lastCapturedAt: '2026-01-09T12:00:00Z' },
      responses: { latest: 'codex_cli_rs/0.73.0 (Linux; x86_64)' },
    },
    outboundHeaderPolicy: { enabled: true, stripRules: ['Cf-*', 'X-Forwarded-*'], initialized: true },
  }
}

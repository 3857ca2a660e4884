import { describe, expect, it } from 'vitest'
import { logAttempts } from '#server/utils/logs/attempts'

describe('logAttempts', () => {
  it('keeps the routing trail, masks each key and keeps the wait before each retry', () => {
    const channels = [{ id: 'A', apiKeys: ['sk-ant-first-key-0123456789'] }, { id: 'B', apiKeys: ['sk-second-key-abcdefghij'] }]
    const attempts = logAttempts([
      { channelId: 'A', channelName: 'alpha', keyIndex: 0, status: 529, action: 'retry', reason: 'rule 529, wait 2s', waitMs: 2000 },
      { channelId: 'A', channelName: 'alpha', keyIndex: 0, error: 'ECONNRESET', action: 'failover', reason: 'rule 502' },
      { channelId: 'B', channelName: 'beta', keyIndex: 0, status: 200, action: 'success', reason: 'priority_order' },
    ], channels)
    expect(attempts).toEqual([
      { channelId: 'A', channelName: 'alpha', maskedKey: 'sk-ant-f***56789', keyIndex: 0, status: 529, action: 'retry', reason: 'rule 529, wait 2s', waitMs: 2000 },
      { channelId: 'A', channelName: 'alpha', maskedKey: 'sk-ant-f***56789', keyIndex: 0, error: 'ECONNRESET', action: 'failover', reason: 'rule 502' },
      { channelId: 'B', channelName: 'beta', maskedKey: 'sk-secon***fghij', keyIndex: 0, status: 200, action: 'success', reason: 'priority_order' },
    ])
    expect(JSON.stringify(attempts)).not.toContain('first-key')
  })
})

import { describe, expect, it } from 'vitest'
import { extractAffinityKey } from '#server/utils/scheduler/affinity'
import { channel, drive, http, MIN, ok, request, setup } from './helpers'

const userId = (user_id: string) => ({ metadata: { user_id } })

describe('extractAffinityKey', () => {
  it('messages: the account of the JSON user_id, else its device', () => {
    const json = JSON.stringify({ device_id: 'dev-1', account_uuid: 'acct-1', session_id: 's-1' })
    expect(extractAffinityKey('messages', userId(json), {})).toBe('acct-1')
    expect(extractAffinityKey('messages', userId(JSON.stringify({ device_id: 'dev-1', session_id: 's' })), {})).toBe('dev-1')
  })

  it('messages: the user part of the legacy user_id, else the whole string', () => {
    expect(extractAffinityKey('messages', userId('user_abc123_account__session_9f1c'), {})).toBe('user_abc123')
    expect(extractAffinityKey('messages', userId('plain-user'), {})).toBe('plain-user')
    expect(extractAffinityKey('messages', {}, { 'x-claude-code-session-id': 's' })).toBeUndefined()
  })

  it('responses: prompt_cache_key per client, then the session headers, then metadata.user_id', () => {
    expect(extractAffinityKey('responses', { prompt_cache_key: 'client-a' }, { conversation_id: 'c' })).toBe('client-a')
    expect(extractAffinityKey('responses', { prompt_cache_key: 'client-b' }, {})).toBe('client-b')
    expect(extractAffinityKey('responses', {}, { conversation_id: 'conv', session_id: 's' })).toBe('conv')
    expect(extractAffinityKey('responses', {}, { 'x-claude-code-session-id': 'cc', 'session_id': 's' })).toBe('cc')
    expect(extractAffinityKey('responses', {}, { session_id: ['s1', 's2'] })).toBe('s1')
    // Codex: `session-id` and `thread-id` in newer builds.
    expect(extractAffinityKey('responses', {}, { 'session-id': 'codex-s', 'thread-id': 'codex-t' })).toBe('codex-s')
    expect(extractAffinityKey('responses', {}, { 'thread-id': 'codex-t' })).toBe('codex-t')
    expect(extractAffinityKey('responses', userId('user_x_account__session_y'), {})).toBe('user_x')
    expect(extractAffinityKey('responses', null, {})).toBeUndefined()
  })
})

describe('trace affinity', () => {
  const channels = [channel('a'), channel('b'), channel('c')]
  const rr = (affinityKey: string) => request(channels, { strategy: 'round-robin', affinityKey })

  it('keeps one user on one channel while round-robin moves everyone else', () => {
    const { scheduler } = setup()
    const home = drive(scheduler.begin(rr('alice')), () => ok).served!.channel.id
    for (let i = 0; i < 10; i++) {
      const t = drive(scheduler.begin(rr('alice')), () => ok).served!
      expect(t).toMatchObject({ channel: { id: home }, reason: 'trace_affinity' })
      drive(scheduler.begin(request(channels, { strategy: 'round-robin' })), () => ok)
    }
  })

  it('moves the user when their channel fails, and keeps them on the new one', () => {
    const { scheduler } = setup()
    drive(scheduler.begin(request(channels, { affinityKey: 'bob' })), () => ok)
    const moved = drive(scheduler.begin(request(channels, { affinityKey: 'bob' })), t => t.channel.id === 'a' ? http(503) : ok)
    expect(moved.served!.channel.id).toBe('b')
    const again = drive(scheduler.begin(request(channels, { affinityKey: 'bob', strategy: 'round-robin' })), () => ok)
    expect(again.served).toMatchObject({ channel: { id: 'b' }, reason: 'trace_affinity' })
  })

  it('expires after 30 idle minutes', () => {
    const { scheduler, advance } = setup()
    drive(scheduler.begin(rr('carol')), () => ok)
    advance(29 * MIN)
    expect(drive(scheduler.begin(rr('carol')), () => ok).served!.reason).toBe('trace_affinity')
    advance(30 * MIN)
    expect(drive(scheduler.begin(rr('carol')), () => ok).served!.reason).toBe('round_robin')
    expect(scheduler.getSchedulerStats('messages', channels).traceAffinityCount).toBe(1)
    advance(30 * MIN)
    expect(scheduler.getSchedulerStats('messages', channels).traceAffinityCount).toBe(0)
  })

  it('is cleared when the channel is suspended or disabled', () => {
    const { scheduler } = setup()
    drive(scheduler.begin(request(channels, { affinityKey: 'dan', strategy: 'round-robin' })), () => ok)
    drive(scheduler.begin(request(channels, { affinityKey: 'eve', strategy: 'round-robin' })), () => ok)
    scheduler.sync('messages', [channel('a', { status: 'disabled' }), channel('b'), channel('c')])
    expect(scheduler.getSchedulerStats('messages', channels).traceAffinityCount).toBe(1)
    scheduler.sync('messages', [channel('a', { status: 'disabled' }), channel('b', { status: 'suspended' }), channel('c')])
    expect(scheduler.getSchedulerStats('messages', channels).traceAffinityCount).toBe(0)
  })

  it('pools keep separate maps', () => {
    const { scheduler } = setup()
    drive(scheduler.begin(request(channels, { affinityKey: 'u' })), () => ok)
    expect(scheduler.getSchedulerStats('responses', channels).traceAffinityCount).toBe(0)
  })
})

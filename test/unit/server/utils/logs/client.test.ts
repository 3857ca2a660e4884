import { describe, expect, it } from 'vitest'
import { clientOf } from '#server/utils/logs/client'

describe('clientOf', () => {
  it('reads Claude Code\'s metadata.user_id in its JSON and its legacy form', () => {
    const json = JSON.stringify({ device_id: 'dev-1', account_uuid: 'acct-1', session_id: 'sess-1' })
    expect(clientOf('messages', { metadata: { user_id: json } }, {})).toEqual({ clientId: 'acct-1', sessionId: 'sess-1' })
    expect(clientOf('messages', { metadata: { user_id: 'user_abc_account__session_9f1e-22' } }, {})).toEqual({ clientId: 'user_abc', sessionId: '9f1e-22' })
  })

  it('takes an OpenAI user, and Codex\'s session header or prompt_cache_key', () => {
    expect(clientOf('chat', { user: 'alice' }, {})).toEqual({ clientId: 'alice' })
    expect(clientOf('responses', { prompt_cache_key: 'thread-7' }, { 'session-id': 'thread-7' })).toEqual({ sessionId: 'thread-7' })
    expect(clientOf('responses', { prompt_cache_key: 'thread-8' }, {})).toEqual({ sessionId: 'thread-8' })
    expect(clientOf('messages', { prompt_cache_key: 'ignored' }, {})).toEqual({})
  })
})

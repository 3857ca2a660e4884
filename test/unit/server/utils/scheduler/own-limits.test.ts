import { describe, expect, it } from 'vitest'
import type { AttemptOutcome } from '#server/utils/scheduler/types'
import { channel, drive, http, ok, path, request, setup } from './helpers'

const PAGE = 'upstream a answered 200 with text/html: "Sign in" instead of JSON'
const silent: AttemptOutcome = { kind: 'transport', error: 'upstream a timed out: UND_ERR_HEADERS_TIMEOUT', code: 'UND_ERR_HEADERS_TIMEOUT', persistent: true }
const loginPage: AttemptOutcome = { kind: 'transport', error: PAGE, code: 'UNEXPECTED_BODY', persistent: true }
const refused: AttemptOutcome = { kind: 'local', error: 'expect header not supported', code: 'UND_ERR_NOT_SUPPORTED' }

describe('an upstream that would only say the same again', () => {
  it.each([['silent', silent], ['login page', loginPage]] as const)('(%s) is not retried when it is the last channel standing', (_name, outcome) => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a')]))
    const run = drive(routing, () => outcome, () => {})
    expect(path(run)).toEqual(['a'])
    expect(run.decisions).toEqual([{ action: 'return' }])
    expect(scheduler.getMetrics('messages', [channel('a')])[0]).toMatchObject({ failureCount: 1 })
  })

  it('leaves the channel, not just the key, for the next channel', () => {
    const { scheduler } = setup()
    const a = channel('a', { apiKeys: ['a1', 'a2'] })
    const run = drive(scheduler.begin(request([a, channel('b')])), t => t.channel.id === 'a' ? silent : ok)
    expect(run.attempts.map(t => t.key)).toEqual(['a1', 'b-k0'])
  })

  it('still meets a rule that returns the error at once', () => {
    const { scheduler } = setup()
    const failover = { enabled: false, rules: [{ errorCodes: '504', actionChain: [{ action: 'none' as const }] }] }
    const run = drive(scheduler.begin(request([channel('a'), channel('b')], { failover })), () => silent)
    expect(path(run)).toEqual(['a'])
  })
})

describe('a request cc-bridge could not send', () => {
  it('is never counted against the channel or key, and the next channel is tried', () => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a'), channel('b')]))
    const run = drive(routing, t => t.channel.id === 'a' ? refused : ok)
    expect(path(run)).toEqual(['a', 'b'])
    expect(routing.chain()).toBe('a UND_ERR_NOT_SUPPORTED > failover > b 200')
    const [a] = scheduler.getMetrics('messages', [channel('a'), channel('b')])
    expect(a).toMatchObject({ requestCount: 0, failureCount: 0, breakerState: 'closed' })
  })

  it('leaves a healthy channel\'s breaker closed however often it happens', () => {
    const { scheduler } = setup()
    for (let i = 0; i < 20; i++) {
      const run = drive(scheduler.begin(request([channel('a')])), () => refused)
      expect(run.decisions).toEqual([{ action: 'return' }])
    }
    expect(scheduler.getMetrics('messages', [channel('a')])[0]).toMatchObject({ failureCount: 0, breakerState: 'closed' })
  })
})

describe('retry waits and the request budget', () => {
  it('does not wait when the wait would outlast what is left of the budget', () => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a')]))
    const decision = routing.report(routing.next()!, http(429, '{}', 5), { waitMs: 2000 })
    expect(decision).toEqual({ action: 'return' })
  })

  it('waits when it fits', () => {
    const { scheduler } = setup()
    const routing = scheduler.begin(request([channel('a')]))
    expect(routing.report(routing.next()!, http(429, '{}', 5), { waitMs: 60_000 })).toEqual({ action: 'retry', waitMs: 5000 })
  })
})

import { Readable } from 'node:stream'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { BodyBudget, BodyBudgetError } from '#server/utils/proxy/body-budget'
import { BodyTooLargeError, readBodyLimited } from '#server/utils/proxy/read-body-limited'

function incoming(chunks: string[], headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from(chunks.map(c => Buffer.from(c))), { headers }) as unknown as IncomingMessage
}

describe('BodyBudget', () => {
  it('refuses a request that would pass the budget while others hold it, and takes it back on release', () => {
    const budget = new BodyBudget(100)
    const a = budget.open()
    a.grow(80)
    const b = budget.open()
    expect(() => b.grow(30)).toThrow(BodyBudgetError)
    b.grow(20)
    expect(budget.inFlight).toBe(100)
    a.release()
    b.release()
    expect(budget.inFlight).toBe(0)
  })

  it('takes any one request while nothing else is held', () => {
    const budget = new BodyBudget(100)
    const a = budget.open()
    a.grow(150)
    a.grow(10)
    expect(budget.inFlight).toBe(160)
    a.release()
    a.release()
    expect(budget.inFlight).toBe(0)
  })
})

describe('readBodyLimited', () => {
  it('reserves content-length up front and fills one buffer', async () => {
    const budget = new BodyBudget(1000)
    const r = budget.open()
    const body = await readBodyLimited(incoming(['{"a":', '1}'], { 'content-length': '7' }), 100, r)
    expect(body.toString()).toBe('{"a":1}')
    expect(budget.inFlight).toBe(7)
  })

  it('reserves a chunked body as it arrives, refusing it when the budget runs out', async () => {
    const budget = new BodyBudget(10)
    const other = budget.open()
    other.grow(5)
    const r = budget.open()
    await expect(readBodyLimited(incoming(['abcd', 'efgh']), 100, r)).rejects.toBeInstanceOf(BodyBudgetError)
    r.release()
    expect(budget.inFlight).toBe(5)
  })

  it('refuses a declared size over the limit without reserving it', async () => {
    const budget = new BodyBudget(1000)
    const r = budget.open()
    await expect(readBodyLimited(incoming([], { 'content-length': '500' }), 100, r)).rejects.toBeInstanceOf(BodyTooLargeError)
    expect(budget.inFlight).toBe(0)
  })
})

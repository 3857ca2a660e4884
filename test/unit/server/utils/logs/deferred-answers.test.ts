import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { readDeferredAnswer, readDeferredHere } from '#server/utils/logs/answer-columns'
import { logBatch } from '#server/utils/logs/batch-sql'
import { createRequestLog } from '#server/utils/logs/request-log'
import type { DeferredAnswer, LogWrite, NewRequestLog } from '#server/utils/logs/types'
import { createWorkerWriter, type BatchWriter } from '#server/utils/logs/write-worker'
import { createQuoter } from '#server/utils/pricing/quoter'
import type { PricingSnapshot } from '#server/utils/pricing/store'
import type { ModelPrice } from '#shared/schemas/pricing'
import { logDb, row, writerFolder } from './helpers'

let cleanup: (() => void)[] = []
afterEach(() => {
  for (const c of cleanup) c()
  cleanup = []
})

const price = (inputPrice: number, outputPrice: number): ModelPrice => ({ inputPrice, outputPrice, description: '', exportToModels: false })
const table = (version: number, inputPrice = 3): PricingSnapshot => ({ version, models: { 'claude-sonnet-4': price(inputPrice, 15), 'gpt-4.1': price(2, 8) } })

/** A non-streaming answer in each protocol, as an upstream sends it, with what it reports. */
const ANSWERS = {
  anthropic: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'Hi "there" — ✓ 🚀' }], stop_reason: 'end_turn', usage: { input_tokens: 1000, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, output_tokens: 500 } },
  openai: { id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4.1-2025-04-14', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1200, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 200 }, completion_tokens_details: { reasoning_tokens: 100 } }, system_fingerprint: 'fp' },
  responses: { id: 'resp_1', object: 'response', status: 'completed', model: 'gpt-4.1-2025-04-14', output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] }], usage: { input_tokens: 1200, input_tokens_details: { cached_tokens: 200 }, output_tokens: 300, output_tokens_details: { reasoning_tokens: 100 }, total_tokens: 1500 } },
} as const

const deferred = (protocol: keyof typeof ANSWERS, pricingVersion: number, multipliers = ''): DeferredAnswer => ({ bytes: Buffer.from(JSON.stringify(ANSWERS[protocol])), protocol, multipliers, pricingVersion })

/** A finished request's row whose answer is left to the writer. */
const finished = (id: string, model: string, answer: DeferredAnswer): LogWrite => ({ kind: 'insert', id, row: row({ id, status: 'pending', model }), change: { status: 'completed', httpStatus: 200, channelUid: 'c1' }, deferred: answer, final: true })

async function threadWith(pricing: PricingSnapshot) {
  const { db, dir, close } = await logDb()
  cleanup.push(close)
  const writer = createWorkerWriter(join(dir, 'logs.db'), 5000, writerFolder(), { maxTries: 1, retryDelayMs: 10, maxQueued: 5000, batchRows: 200, intervalMs: 10, logError: () => {}, pricing })!
  cleanup.push(() => void writer.close())
  const write = async (...writes: LogWrite[]) => writer.write(logBatch(writes), writes.length)
  const stored = async () => db.query.requestLogs.findMany({ orderBy: (t, { asc }) => asc(t.id) })
  return { writer, write, stored }
}

const ANSWER_COLUMNS = ['responseModel', 'inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheCreationInputTokens', 'cacheCreation5mInputTokens', 'cacheCreation1hInputTokens', 'reasoningTokens', 'usageEstimated', 'price', 'inputCost', 'outputCost', 'cacheCreationCost', 'cacheReadCost'] as const
const answerOf = (r: NewRequestLog) => Object.fromEntries(ANSWER_COLUMNS.map(k => [k, r[k]]))

describe('an answer left to the writer thread', () => {
  it('is read and priced there, with the channel\'s multipliers, as the event loop reads and prices it', async () => {
    const { writer, write, stored } = await threadWith(table(1))
    const multipliers = JSON.stringify({ _default: { outputMultiplier: 2 } })
    await write(
      finished('a', 'claude-sonnet-4-5', deferred('anthropic', 1, multipliers)),
      finished('b', 'gpt-4.1', deferred('openai', 1)),
      finished('c', 'gpt-4.1', deferred('responses', 1, multipliers)),
    )
    await writer.drain()
    const [a, b, c] = await stored()
    // By hand: input 1000 × $3, output 500 × $15 × 2, 5-minute writes 100 × $3.75, 1-hour writes
    // 200 × $6, reads 2000 × $0.30, per million.
    expect(a).toMatchObject({ status: 'completed', channelUid: 'c1', responseModel: 'claude-sonnet-4-5-20250929', inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 2000, cacheCreationInputTokens: 300, cacheCreation5mInputTokens: 100, cacheCreation1hInputTokens: 200, usageEstimated: false, inputCost: 0.003, outputCost: 0.015, cacheCreationCost: 0.001575, cacheReadCost: 0.0006, price: 0.020175 })
    // Chat and Responses count cached input inside their input, reasoning inside their output.
    expect(b).toMatchObject({ responseModel: 'gpt-4.1-2025-04-14', inputTokens: 1000, outputTokens: 300, cacheReadInputTokens: 200, reasoningTokens: 100, cacheCreation1hInputTokens: null, price: 0.00444 })
    // The same, as the event loop computes it.
    const quoter = createQuoter(new Map(Object.entries(table(1).models)))
    for (const [stored, protocol, model, m] of [[a!, 'anthropic', 'claude-sonnet-4-5', multipliers], [b!, 'openai', 'gpt-4.1', ''], [c!, 'responses', 'gpt-4.1', multipliers]] as const) {
      const expected = readDeferredHere(deferred(protocol, 1, m), model, quoter)
      expect(answerOf(stored)).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v ?? null])))
    }
  })

  it('is priced with the price table as it was when its request ended, even when the new table reaches the thread after the row', async () => {
    const { writer, write, stored } = await threadWith(table(1, 3))
    await write(finished('a', 'claude-sonnet-4-5', deferred('anthropic', 1)))
    writer.setPricing(table(2, 6))
    await write(finished('b', 'claude-sonnet-4-5', deferred('anthropic', 2)), finished('c', 'claude-sonnet-4-5', deferred('anthropic', 1)))
    // A row that needs a table the thread has not been given yet waits for it.
    await write(finished('d', 'claude-sonnet-4-5', deferred('anthropic', 3)))
    await new Promise(resolve => setTimeout(resolve, 100))
    expect((await stored()).map(r => r.id)).toEqual(['a', 'b', 'c'])
    writer.setPricing(table(3, 9))
    await writer.drain()
    expect((await stored()).map(r => [r.id, r.inputCost])).toEqual([['a', 0.003], ['b', 0.006], ['c', 0.003], ['d', 0.009]])
  })

  it('counts as estimated and empty when its "usage" is not the answer\'s own', () => {
    const body = Buffer.from(JSON.stringify({ id: 'msg_1', type: 'message', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'the "usage" key' }] }))
    const columns = readDeferredAnswer({ body, protocol: 'anthropic', multipliers: '' }, 'claude-sonnet-4-5', createQuoter(new Map(Object.entries(table(1).models))))
    expect(columns).toMatchObject({ responseModel: 'claude-sonnet-4-5', inputTokens: 0, outputTokens: 0, usageEstimated: true, price: 0 })
  })
})

describe('the request log and answers left to its writer', () => {
  async function logWith(writer: BatchWriter | undefined, withReader = true) {
    const { db, close } = await logDb()
    cleanup.push(close)
    const quoter = createQuoter(new Map(Object.entries(table(1).models)))
    const log = createRequestLog(db, { writer, intervalMs: 10, retryDelayMs: 10, logError: () => {}, readDeferred: withReader ? (a, model) => readDeferredHere(a, model, quoter) : undefined })
    cleanup.push(() => void log.close())
    return { db, log }
  }

  it('leaves them to a running thread only while nobody watches the live stream, and only for a request it still holds', async () => {
    const { writer } = await threadWith(table(1))
    const { log } = await logWith(writer)
    log.record(row({ id: 'a', status: 'pending' }))
    expect(log.defersAnswers('a')).toBe(true)
    expect(log.defersAnswers('unknown')).toBe(false)
    const unsubscribe = log.broadcaster.subscribe({ send: () => {}, close: () => {} })!
    expect(log.defersAnswers('a')).toBe(false)
    unsubscribe()
    expect(log.defersAnswers('a')).toBe(true)
    const { log: unread } = await logWith(writer, false)
    unread.record(row({ id: 'b', status: 'pending' }))
    expect(unread.defersAnswers('b')).toBe(false)
    const { log: alone } = await logWith(undefined)
    alone.record(row({ id: 'c', status: 'pending' }))
    expect(alone.defersAnswers('c')).toBe(false)
  })

  it('counts them in the bound of what it queues', async () => {
    const { db, close } = await logDb()
    cleanup.push(close)
    let release!: () => void
    const held = new Promise<void>(resolve => (release = resolve))
    const log = createRequestLog(db, { write: () => held, intervalMs: 10, maxQueuedBytes: 40_000, logError: () => {} })
    for (let i = 0; i < 10; i++) {
      log.record(row({ id: `r${i}`, status: 'pending' }))
      log.update(`r${i}`, { status: 'completed' }, undefined, { ...deferred('anthropic', 1), bytes: Buffer.alloc(10_000, 'x') })
    }
    // About 11 KB each: three fit in 40 KB, the seven oldest are let go.
    expect(log.stats()).toMatchObject({ queued: 3, dropped: 7 })
    release()
  })

  it('reads them on its own connection once the thread is gone', async () => {
    // A writer thread that cannot start (its file throws as it loads).
    const workers = mkdtempSync(join(tmpdir(), 'ccb-writer-'))
    writeFileSync(join(workers, 'log-writer.mjs'), 'throw new Error(\'no driver here\')\n')
    const writer = createWorkerWriter('/nonexistent.db', 5000, pathToFileURL(`${workers}/`).href, { maxTries: 3, retryDelayMs: 10, maxQueued: 5000, batchRows: 200, intervalMs: 10, logError: () => {} })!
    const { db, log } = await logWith(writer)
    log.record(row({ id: 'a', status: 'pending', model: 'claude-sonnet-4-5' }))
    // Left to the thread before it is known to be gone.
    log.update('a', { status: 'completed', httpStatus: 200 }, undefined, deferred('anthropic', 1))
    await log.flush()
    await expect.poll(async () => (await db.query.requestLogs.findMany()).map(r => [r.id, r.status, r.inputTokens, r.price]), { timeout: 5000 }).toEqual([['a', 'completed', 1000, 0.012675]])
  })
})

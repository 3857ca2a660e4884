import { join } from 'node:path'
import { createClient } from '@libsql/client'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { launchBrowser, offOriginRequests, screenshot } from '../support/browser'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

// The log page in Chromium against the built server: history written by an earlier run, then a
// request proxied to a fake Anthropic upstream that must appear live, with its cost.

let upstream: FakeUpstream
let server: RunningServer
let browser: Browser
const offOrigin: string[] = []

const DAY = 86_400_000
const now = Date.now()

/** Rows an earlier run left: three days, two channels, one fail-over and one failure with bodies. */
function history(): Record<string, unknown>[] {
  const attempts = JSON.stringify([
    { channelId: 'chan0001', channelName: 'claude-backup', maskedKey: 'sk-ant-b***bbbbb', status: 529, action: 'failover', reason: 'rule 408,500,502,503,504,529' },
    { channelId: 'chan0000', channelName: 'claude-0', maskedKey: 'sk-ant-u***aaaaa', status: 200, action: 'success', reason: 'priority_order' },
  ])
  const row = (id: string, ago: number, extra: Record<string, unknown>) => ({
    id, status: 'completed', pool: 'messages', endpoint: '/v1/messages', initial_time: now - ago, complete_time: now - ago + 2400,
    first_token_time: now - ago + 700, first_token_duration_ms: 700, duration_ms: 2400, http_status: 200, stream: 1,
    model: 'claude-sonnet-4-5', mapped_model: 'claude-sonnet-4-5', channel_uid: 'chan0000', channel_name: 'claude-0', provider_name: 'claude-0',
    type: 'claude', masked_key: 'sk-ant-u***aaaaa', client_id: 'claude-code', session_id: 'sess-1', user_agent: 'claude-cli/2.1.332',
    input_tokens: 1200, output_tokens: 480, cache_read_input_tokens: 18_000, cache_creation_input_tokens: 2_000,
    input_cost: 0.0036, output_cost: 0.0072, cache_read_cost: 0.0054, cache_creation_cost: 0.0075, price: 0.0237,
    attempts: '[]', ...extra,
  })
  return [
    row('req_h1', 2 * DAY + 3_600_000, { output_tokens: 900, price: 0.031 }),
    row('req_h2', 2 * DAY + 1_800_000, { model: 'claude-opus-4-1', mapped_model: 'claude-opus-4-1', price: 0.118, input_cost: 0.018, output_cost: 0.036, client_id: 'codex' }),
    row('req_h3', DAY + 7_200_000, { attempts, failover_info: 'claude-backup 529 > failover > claude-0 200', duration_ms: 5100 }),
    row('req_h4', DAY + 3_600_000, { model: 'claude-haiku-4-5', mapped_model: 'claude-haiku-4-5', input_tokens: 300, output_tokens: 120, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, price: 0.0009, duration_ms: 900, first_token_duration_ms: 300 }),
    row('req_h5', 600_000, {
      status: 'error', http_status: 529, channel_uid: 'chan0001', channel_name: 'claude-backup', provider_name: 'claude-backup',
      input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, price: 0, input_cost: 0, output_cost: 0, cache_read_cost: 0, cache_creation_cost: 0,
      error: 'All channels failed: upstream overloaded', upstream_error: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      attempts: JSON.stringify([{ channelId: 'chan0001', channelName: 'claude-backup', maskedKey: 'sk-ant-b***bbbbb', status: 529, action: 'retry', reason: 'rule 529, wait 5s', waitMs: 5000 }, { channelId: 'chan0001', channelName: 'claude-backup', maskedKey: 'sk-ant-b***bbbbb', status: 529, action: 'return', reason: 'last candidate' }]),
      request_body: '{"model":"claude-sonnet-4-5","max_tokens":64}', response_body: '{"type":"error","error":{"type":"overloaded_error"}}',
    }),
  ]
}

async function insertRows(configDir: string, rows: Record<string, unknown>[]): Promise<void> {
  const client = createClient({ url: `file:${join(configDir, 'cc-bridge.db')}` })
  for (const r of rows) {
    const columns = Object.keys(r)
    await client.execute({ sql: `insert into request_logs (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`, args: Object.values(r) as never })
  }
  client.close()
}

async function openLogs(opts: { colorScheme?: 'light' | 'dark', locale?: string, width?: number, height?: number, path?: string } = {}): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1440, height: opts.height ?? 960 }, colorScheme: opts.colorScheme ?? 'light', locale: opts.locale ?? 'en-US' })
  await context.addInitScript(key => localStorage.setItem('ccb-key', key), ACCESS_KEY)
  const page = await context.newPage()
  offOrigin.push(...offOriginRequests(page, server.url))
  await page.goto(`${server.url}${opts.path ?? '/logs'}`)
  return { context, page }
}

async function proxied(text: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: text }] }),
  })
  await res.text()
  return res.status
}

const rowsOf = (page: Page) => page.getByTestId('logs-table').locator('tbody tr')

beforeAll(async () => {
  upstream = await new FakeUpstream().start()
  upstream.script(json(200, message('Hello from the fake upstream', 'claude-sonnet-4-5')))
  const first = await startServer({ config: claudeConfig(upstream.url) })
  await first.stop()
  await insertRows(first.configDir, history())
  server = await startServer({ configDir: first.configDir })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await upstream?.stop()
})

describe('the log page', () => {
  it('shows the logged requests, their totals and the fail-over chain of one', async () => {
    const { context, page } = await openLogs()
    await expect.poll(() => rowsOf(page).count()).toBe(5)
    await expect.poll(() => page.getByTestId('card-requests').innerText()).toMatch(/5\s+80.0 % succeeded/)
    expect(await page.getByTestId('card-cost').innerText()).toContain('$0.1736')
    expect(await page.getByTestId('logs-summary').innerText()).toContain('claude-opus-4-1')

    const failed = rowsOf(page).first()
    expect(await failed.innerText()).toContain('529')
    await failed.getByRole('button').first().press('Enter')
    const detail = page.getByTestId('log-detail')
    await detail.waitFor()
    expect(await detail.innerText()).toContain('All channels failed: upstream overloaded')
    expect(await detail.getByTestId('log-attempts').innerText()).toMatch(/claude-backup[\s\S]*sk-ant-b\*\*\*bbbbb[\s\S]*529[\s\S]*retry[\s\S]*waited 5\.00 s/)
    expect(await detail.innerText()).toContain('Request body')
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'detached' })
    await screenshot(page, 'logs-light')
    await context.close()
  })

  it('keeps its filters in the URL', async () => {
    const { context, page } = await openLogs()
    await expect.poll(() => rowsOf(page).count()).toBe(5)
    await page.getByTestId('filter-model').click()
    await page.getByRole('option', { name: 'claude-opus-4-1' }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBe('claude-opus-4-1')
    await expect.poll(() => rowsOf(page).count()).toBe(1)
    await page.reload()
    // Until the list has loaded, the table holds one row saying nothing matches.
    await expect.poll(() => rowsOf(page).first().innerText()).toContain('claude-opus-4-1')
    expect(await rowsOf(page).count()).toBe(1)
    await page.goto(`${server.url}/logs?status=error`)
    await expect.poll(() => rowsOf(page).first().innerText()).toContain('529')
    expect(await rowsOf(page).count()).toBe(1)
    await context.close()
  })

  it('reads well in dark mode, in Chinese and on a phone', async () => {
    const dark = await openLogs({ colorScheme: 'dark' })
    await expect.poll(() => rowsOf(dark.page).count()).toBe(5)
    await dark.page.waitForTimeout(300)
    await screenshot(dark.page, 'logs-dark')
    await dark.context.close()

    const zh = await openLogs({ locale: 'zh-CN' })
    await zh.page.getByText('请求日志').first().waitFor()
    await expect.poll(() => rowsOf(zh.page).count()).toBe(5)
    await screenshot(zh.page, 'logs-zh')
    await zh.context.close()

    // On a phone: a card per request, nothing to scroll sideways, and a card opens its detail.
    const phone = await openLogs({ width: 390, height: 844 })
    const cards = phone.page.getByTestId('logs-cards').locator('li')
    await expect.poll(() => cards.count()).toBe(5)
    expect(await phone.page.getByTestId('logs-table').isVisible()).toBe(false)
    const failed = cards.filter({ hasText: '529' })
    expect(await failed.innerText()).toMatch(/529 · error[\s\S]*claude-sonnet-4-5[\s\S]*claude-backup/)
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    // The filters fold away behind one button until asked for.
    expect(await phone.page.getByTestId('filter-model').isVisible()).toBe(false)
    await screenshot(phone.page, 'logs-phone')
    await phone.page.getByTestId('filters-toggle').click()
    await phone.page.getByTestId('filter-model').waitFor()
    await failed.getByRole('button').click()
    await phone.page.getByTestId('log-detail').getByText('All channels failed: upstream overloaded').waitFor()
    await phone.context.close()
  })

  // Needs the proxy to write request-log rows (the request-log tap on the pipeline).
  it('shows a proxied request live, with its cost, and holds new rows while paused', async () => {
    const { context, page } = await openLogs()
    await expect.poll(() => rowsOf(page).count()).toBe(5)
    await page.getByTestId('live-state').getByText('Live').waitFor()

    expect(await proxied('first live request')).toBe(200)
    await expect.poll(() => rowsOf(page).count(), { timeout: 10_000 }).toBe(6)
    // 12 input, 5 output and 3 cache-read tokens of claude-sonnet-4-5 at $3 / $15 / $0.30 per million.
    await expect.poll(async () => (await rowsOf(page).first().innerText()).replace(/\s+/g, ' '), { timeout: 10_000 }).toMatch(/200 · completed claude-sonnet-4-5 claude-0 12 5 3 0 \$0\.0001/)

    await page.getByTestId('pause').click()
    expect(await proxied('while paused')).toBe(200)
    await page.getByTestId('live-state').getByText(/Paused · [12] new/).waitFor({ timeout: 10_000 })
    expect(await rowsOf(page).count()).toBe(6)
    await page.getByTestId('pause').click()
    await expect.poll(() => rowsOf(page).count()).toBe(7)
    await context.close()
  })

  it('resets the database behind a confirmation and then says how to send a first request', async () => {
    const { context, page } = await openLogs()
    await expect.poll(() => rowsOf(page).count()).toBeGreaterThanOrEqual(5)
    await page.getByRole('button', { name: 'Reset database' }).click()
    await page.getByTestId('reset-confirm').click()
    await page.getByTestId('logs-empty').waitFor()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    expect(await page.getByTestId('logs-empty').innerText()).toContain(`ANTHROPIC_BASE_URL=${server.url}`)
    const list = await (await fetch(`${server.url}/api/logs`, { headers: { 'x-api-key': ACCESS_KEY } })).json() as { total: number }
    expect(list.total).toBe(0)
    await screenshot(page, 'logs-empty')
    await context.close()
    expect(offOrigin).toEqual([])
  })
})

import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { message } from '../support/anthropic-fixtures'
import { launchBrowser, offOriginRequests } from '../support/browser'
import { FakeUpstream, json } from '../support/fake-upstream'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

// A price changed in the settings page prices the next request; the log page shows both costs.
let upstream: FakeUpstream
let server: RunningServer
let browser: Browser

const MODEL = 'claude-sonnet-4-5'

beforeAll(async () => {
  // 1,000,000 input tokens make the cost the input price itself; nothing else is billed.
  upstream = (await new FakeUpstream().start()).script(json(200, { ...message('ok', MODEL), usage: { input_tokens: 1_000_000, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }))
  server = await startServer({ config: claudeConfig(upstream.url) })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await upstream?.stop()
})

async function proxied(): Promise<void> {
  const res = await fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: MODEL, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
  })
  expect(res.status).toBe(200)
  await res.text()
}

const logRows = (page: Page) => page.getByTestId('logs-table').locator('tbody tr')

/** Waits until the request log holds `n` finished rows (it writes in batches, within about 250 ms). */
async function logged(n: number): Promise<void> {
  const finished = async () => ((await (await fetch(`${server.url}/api/logs?status=completed`, { headers: { 'x-api-key': ACCESS_KEY } })).json()) as { total: number }).total
  await expect.poll(finished).toBe(n)
}

describe('prices in the browser', () => {
  it('prices the next request at the price just saved', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 960 } })
    await context.addInitScript(key => localStorage.setItem('ccb-key', key), ACCESS_KEY)
    const page = await context.newPage()
    const off = offOriginRequests(page, server.url)

    await proxied()
    await logged(1)
    await page.goto(`${server.url}/logs`)
    // The shipped price of claude-sonnet-4-5: $3 per million input tokens.
    await expect.poll(() => logRows(page).first().innerText()).toContain('$3.00')

    await page.goto(`${server.url}/settings`)
    await page.getByRole('button', { name: `Actions for ${MODEL}` }).click()
    await page.getByRole('menuitem', { name: 'Edit' }).click()
    const form = page.getByTestId('pricing-form')
    const input = form.getByRole('spinbutton', { name: 'Input' })
    await input.fill('7')
    await input.blur()
    await page.getByRole('button', { name: 'Save' }).click()
    await form.waitFor({ state: 'detached' })

    await expect.poll(async () => (await (await fetch(`${server.url}/api/pricing`, { headers: { 'x-api-key': ACCESS_KEY } })).json() as { models: Record<string, { inputPrice: number }> }).models[MODEL]?.inputPrice).toBe(7)
    await proxied()
    await logged(2)
    await page.goto(`${server.url}/logs`)
    await expect.poll(() => logRows(page).first().innerText()).toContain('$7.00')
    expect(await logRows(page).nth(1).innerText()).toContain('$3.00')
    expect(off).toEqual([])
    await context.close()
  })
})

import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, offOriginRequests, screenshot } from '../support/browser'
import { ACCESS_KEY, claudeConfig, startServer, type RunningServer } from '../support/server'

// The settings page in Chromium against the built server: the price table, the failover rules
// and what /api/health/details reports, each change checked through the admin API.

let server: RunningServer
let browser: Browser
const offOrigin: string[] = []

async function api<T>(path: string): Promise<T> {
  return await (await fetch(`${server.url}${path}`, { headers: { 'x-api-key': ACCESS_KEY } })).json() as T
}
type Pricing = { models: Record<string, { inputPrice: number, outputPrice: number, exportToModels: boolean, description: string }> }
const models = async () => (await api<Pricing>('/api/pricing')).models

async function openSettings(opts: { colorScheme?: 'light' | 'dark', locale?: string, width?: number } = {}): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, colorScheme: opts.colorScheme ?? 'light', locale: opts.locale ?? 'en-US' })
  await context.addInitScript(key => localStorage.setItem('ccb-key', key), ACCESS_KEY)
  const page = await context.newPage()
  offOrigin.push(...offOriginRequests(page, server.url))
  await page.goto(`${server.url}/settings`)
  await page.getByTestId('pricing-table').locator('tbody tr').nth(2).waitFor()
  return { context, page }
}

const row = (page: Page, model: string) => page.getByTestId('pricing-table').locator('tbody tr').filter({ has: page.getByText(model, { exact: true }) })

async function action(page: Page, model: string, name: string) {
  await page.getByRole('button', { name: `Actions for ${model}` }).click()
  await page.getByRole('menuitem', { name }).click()
}

beforeAll(async () => {
  server = await startServer({ config: claudeConfig('http://127.0.0.1:9') })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the settings page', () => {
  it('edits, duplicates, deletes and resets model prices, with errors at the field', async () => {
    const { context, page } = await openSettings()
    const defaults = await models()
    expect(defaults['claude-sonnet-4-5']).toMatchObject({ inputPrice: 3, outputPrice: 15 })

    // Edit: a blank name is refused at its field and nothing is sent.
    await action(page, 'claude-sonnet-4-5', 'Edit')
    const form = page.getByTestId('pricing-form')
    const name = form.getByRole('textbox', { name: 'Model' })
    await name.fill('')
    await page.getByRole('button', { name: 'Save' }).click()
    await form.getByText(/too small/i).waitFor()
    expect((await models())['claude-sonnet-4-5']).toEqual(defaults['claude-sonnet-4-5'])
    await name.fill('claude-sonnet-4-5')
    const input = form.getByRole('spinbutton', { name: 'Input' })
    await input.fill('4.5')
    await input.blur()
    await page.getByRole('button', { name: 'Save' }).click()
    await form.waitFor({ state: 'detached' })
    await expect.poll(async () => (await models())['claude-sonnet-4-5']?.inputPrice).toBe(4.5)
    expect(await row(page, 'claude-sonnet-4-5').innerText()).toContain('$4.5')

    // Duplicate: a copy under a new name; the original name is refused ignoring case.
    await action(page, 'claude-sonnet-4-5', 'Duplicate')
    expect(await name.inputValue()).toBe('claude-sonnet-4-5-copy')
    await name.fill('Claude-Sonnet-4-5')
    await page.getByRole('button', { name: 'Save' }).click()
    await form.getByText('claude-sonnet-4-5 already exists').waitFor()
    await name.fill('team-sonnet')
    // The form checks the name again as it is typed (300 ms later); the message going away moves
    // the Save button, and a click sent while it moves can miss it, as a person's would.
    await form.getByText('claude-sonnet-4-5 already exists').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Save' }).click()
    await form.waitFor({ state: 'detached' })
    await expect.poll(async () => (await models())['team-sonnet']).toMatchObject({ inputPrice: 4.5, outputPrice: 15 })

    // The export toggle, per model.
    const listed = (await models())['team-sonnet']!.exportToModels
    await page.getByRole('switch', { name: 'List team-sonnet in /v1/models' }).click()
    await expect.poll(async () => (await models())['team-sonnet']?.exportToModels).toBe(!listed)

    // Delete, after a confirmation.
    await action(page, 'team-sonnet', 'Delete')
    await page.getByTestId('confirm').click()
    await expect.poll(async () => (await models())['team-sonnet']).toBeUndefined()
    await expect.poll(() => row(page, 'team-sonnet').count()).toBe(0)

    // Reset to the defaults, after a confirmation.
    await page.getByRole('button', { name: 'Reset to defaults' }).first().click()
    await page.getByTestId('confirm').click()
    await expect.poll(async () => (await models())['claude-sonnet-4-5']?.inputPrice).toBe(3)
    await expect.poll(async () => row(page, 'claude-sonnet-4-5').innerText()).toContain('$3')
    await context.close()
  })

  it('switches failover mode, edits a rule with the server\'s error at its field, and resets', async () => {
    const { context, page } = await openSettings()
    const rules = page.getByTestId('failover-rules').locator('li')
    await expect.poll(() => rules.count()).toBe(7)
    expect(await page.getByTestId('failover-save').isDisabled()).toBe(true)

    await page.getByRole('switch', { name: 'Failover mode' }).click()
    await page.getByTestId('failover-save').click()
    await page.getByText('Failover settings saved').first().waitFor()
    await expect.poll(async () => (await api<{ enabled: boolean }>('/api/config/failover')).enabled).toBe(true)

    // An unknown code passes the shape check and is refused by the server, at the rule's field.
    await rules.first().getByRole('textbox', { name: 'Error codes' }).fill('429:QUOTA_EXHAUSTED, abc')
    await page.getByTestId('failover-save').click()
    await rules.first().getByText('unknown error code abc').waitFor()
    await rules.first().getByRole('textbox', { name: 'Error codes' }).fill('429:QUOTA_EXHAUSTED, 418')
    await page.getByTestId('failover-save').click()
    await expect.poll(async () => (await api<{ rules: { errorCodes: string }[] }>('/api/config/failover')).rules[0]?.errorCodes).toBe('429:QUOTA_EXHAUSTED, 418')

    await page.getByRole('button', { name: 'Reset to defaults' }).last().click()
    await page.getByTestId('failover-reset-confirm').click()
    await expect.poll(async () => (await api<{ enabled: boolean, rules: { errorCodes: string }[] }>('/api/config/failover'))).toMatchObject({ enabled: false, rules: expect.arrayContaining([{ errorCodes: '429:QUOTA_EXHAUSTED', actionChain: [{ action: 'suspend' }] }]) })
    await expect.poll(() => rules.first().getByRole('textbox', { name: 'Error codes' }).inputValue()).toBe('429:QUOTA_EXHAUSTED')
    await context.close()
  })

  it('never overwrites failover rules changed elsewhere while the page was open', async () => {
    const { context, page } = await openSettings()
    const rules = page.getByTestId('failover-rules').locator('li')
    await expect.poll(() => rules.count()).toBeGreaterThan(0)
    // Meanwhile, through the API: failover mode on, one rule.
    const changed = await fetch(`${server.url}/api/config/failover`, {
      method: 'PUT',
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true, rules: [{ errorCodes: '503', actionChain: [{ action: 'failover' }] }] }),
    })
    expect(changed.status).toBe(200)

    await rules.first().getByRole('textbox', { name: 'Error codes' }).fill('500, 502')
    await page.getByTestId('failover-save').click()
    await page.getByTestId('failover-error').getByText('changed elsewhere').waitFor()
    expect(await api('/api/config/failover')).toEqual({ enabled: true, rules: [{ errorCodes: '503', actionChain: [{ action: 'failover' }] }] })

    // Discard shows the rules in force; an edit saved now goes through.
    await page.getByRole('button', { name: 'Discard' }).click()
    await expect.poll(() => rules.count()).toBe(1)
    expect(await rules.first().getByRole('textbox', { name: 'Error codes' }).inputValue()).toBe('503')
    expect(await page.getByTestId('failover-error').count()).toBe(0)
    await rules.first().getByRole('textbox', { name: 'Error codes' }).fill('503, 504')
    await page.getByTestId('failover-save').click()
    await expect.poll(async () => (await api<{ rules: { errorCodes: string }[] }>('/api/config/failover')).rules[0]?.errorCodes).toBe('503, 504')
    await context.close()
  })

  it('shows what /api/health/details knows', async () => {
    const { context, page } = await openSettings()
    const health = page.getByTestId('health')
    await health.getByText('0.1.0').waitFor()
    const text = await health.innerText()
    expect(text).toMatch(/Config revision\s+\d+/)
    expect(text).toMatch(/\/v1\/messages\s+1 channels · failover/)
    expect(text).toContain('The file on disk is valid and in force.')
    expect(text).toMatch(/Memory\s+[\d.,]+ MB resident · [\d.,]+ MB heap/)
    expect(await health.getByTestId('queue-dropped').innerText()).toMatch(/Dropped\s+0/)
    await context.close()
  })

  it('reads well in light and dark mode and in Chinese, from its own origin only', async () => {
    const light = await openSettings()
    await light.page.getByTestId('health').getByText('0.1.0').waitFor()
    await screenshot(light.page, 'settings-light')
    await light.context.close()

    const dark = await openSettings({ colorScheme: 'dark' })
    await dark.page.getByTestId('health').getByText('0.1.0').waitFor()
    await screenshot(dark.page, 'settings-dark')
    await dark.context.close()

    const zh = await openSettings({ locale: 'zh-CN' })
    await zh.page.getByText('模型价格').first().waitFor()
    await screenshot(zh.page, 'settings-zh')
    await zh.context.close()
    expect(offOrigin).toEqual([])
  })
})

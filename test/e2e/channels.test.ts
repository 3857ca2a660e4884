import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ChannelListResponse } from '#shared/schemas/config'
import { launchBrowser, offOriginRequests, screenshot } from '../support/browser'
import { FakeUpstream } from '../support/fake-upstream'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

let server: RunningServer
let upstream: FakeUpstream
let browser: Browser
let context: BrowserContext
let page: Page
let off: string[]

/** Answers model lists, pings and Claude messages; every fifth message fails, for the recent-calls strip. */
function startUpstream() {
  let n = 0
  return new FakeUpstream().script((req, res) => {
    if (req.url.includes('/messages')) {
      n += 1
      if (n % 5 === 0) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"type":"error","error":{"type":"api_error","message":"boom"}}')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        id: `msg_${n}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'hi' }],
        stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1200, output_tokens: 300 },
      }))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"claude-sonnet-4-5"},{"id":"claude-opus-4-1"}]}')
  }).start()
}

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { ...init, headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', ...init.headers } })
  return await res.json() as T
}

async function channelList(): Promise<ChannelListResponse> {
  return api<ChannelListResponse>('/api/channels')
}

/** Signs in through `/?key=` and waits for the Messages pool. */
async function signIn(p: Page) {
  await p.goto(`${server.url}/?key=${ACCESS_KEY}`)
  await p.waitForURL(`${server.url}/channels/messages`)
  await p.getByTestId('sequence').waitFor()
}

function card(name: string) {
  return page.getByTestId(`channel-card-${name}`)
}

async function cardAction(name: string, label: string) {
  await card(name).getByTestId('channel-actions').click()
  await page.getByRole('menuitem', { name: label }).click()
}

/** A toast's title (the live region repeats its text, hence the slot). */
function toast(text: string | RegExp) {
  return page.locator('[data-slot="title"]').filter({ hasText: text })
}

/**
 * Reads a toast and closes it, as a person would before reaching for a menu item under it: a
 * pointer resting on a toast keeps it open, so a click aimed through it never lands.
 */
async function readAndCloseToast(text: string | RegExp) {
  await toast(text).waitFor()
  await page.locator('li').filter({ has: toast(text) }).locator('[data-slot="close"]').click()
  await toast(text).waitFor({ state: 'detached' })
}

async function sequenceNames(): Promise<string[]> {
  return page.getByTestId('sequence').getByTestId('channel-name').allTextContents()
}

beforeAll(async () => {
  upstream = await startUpstream()
  server = await startServer({
    config: {
      upstream: [
        { id: 'chanalpha', name: 'alpha', serviceType: 'claude', baseUrl: upstream.url, apiKeys: ['sk-ant-alpha-0123456789abcdef'], status: 'active', priority: 1, modelMapping: { sonnet: 'claude-sonnet-4-5' } },
        { id: 'chanbeta0', name: 'beta', serviceType: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKeys: ['sk-beta-0123456789abcdef', 'sk-beta-2-0123456789abcdef'], status: 'active', priority: 2 },
        { id: 'chanold00', name: 'legacy', serviceType: 'claude', baseUrl: 'https://legacy.example.invalid', apiKeys: ['sk-ant-old-0123456789abcdef'], status: 'disabled', priority: 3 },
      ],
      loadBalance: 'failover',
    },
  })
  // Some traffic, so the cards have recent calls and the stat cards requests and cost.
  for (let i = 0; i < 7; i++) {
    await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': ACCESS_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
    }).then(r => r.arrayBuffer())
  }
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await upstream?.stop()
})

async function newPage(opts: { colorScheme?: 'light' | 'dark', locale?: string } = {}) {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: opts.colorScheme ?? 'light', locale: opts.locale ?? 'en-US' })
  page = await context.newPage()
  off = offOriginRequests(page, server.url)
  return page
}

afterEach(async () => {
  expect(off).toEqual([])
  await context?.close()
})

describe('sign-in', () => {
  it('says so when the key is wrong, then signs in and returns to the page asked for', async () => {
    await newPage()
    await page.goto(`${server.url}/channels/responses`)
    await page.waitForURL(/\/login\?redirect=/)
    await page.getByLabel('Access key').waitFor()
    await screenshot(page, 'login')
    await page.getByLabel('Access key').fill('not-the-key-at-all-0000')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('not accepted')
    await page.getByLabel('Access key').fill(ACCESS_KEY)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/channels/responses`)
    await page.getByTestId('sequence-empty').waitFor()
  })

  it('signs in from /?key= and removes the key from the address bar', async () => {
    await newPage()
    await signIn(page)
    expect(page.url()).toBe(`${server.url}/channels/messages`)
    expect(await page.evaluate(() => history.length)).toBeLessThanOrEqual(2)
    await page.reload()
    await page.getByTestId('sequence').waitFor()
    expect(page.url()).not.toContain('key=')
  })
})

describe('the channels page', () => {
  it('shows the pool with stats, the sequence and the backup pool (light and dark)', async () => {
    await newPage()
    await signIn(page)
    expect(await sequenceNames()).toEqual(['alpha', 'beta'])
    await page.getByTestId('backup').getByTestId('channel-card-legacy').waitFor()
    await expect(page.getByTestId('stat-total').textContent()).resolves.toContain('3')
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="channel-card-alpha"] [data-testid="recent-calls"] .bg-success').length > 0)
    await screenshot(page, 'channels-light')
    // A phone: the sidebar becomes a drawer, the cards stack.
    await page.setViewportSize({ width: 390, height: 844 })
    await screenshot(page, 'channels-phone')
    await page.setViewportSize({ width: 1280, height: 900 })

    await page.getByTestId('color-mode').click()
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'))
    await screenshot(page, 'channels-dark')
    await page.reload()
    await page.getByTestId('sequence').waitFor()
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
  })

  it('adds a channel through the dialog, drags it first, and the order survives a reload', async () => {
    await newPage()
    await signIn(page)
    await page.getByTestId('add-channel').click()
    const form = page.getByTestId('channel-form')
    await form.getByLabel('Name').fill('gamma')
    await form.getByLabel('Base URL').fill('not a url')
    await page.getByTestId('channel-form-submit').click()
    await form.getByText('must be an http(s) URL').waitFor()
    await form.getByLabel('Base URL').fill(upstream.url)
    await form.getByLabel('API keys').fill('sk-ant-gamma-0123456789abcdef')
    await screenshot(page, 'channel-form')
    await page.getByTestId('channel-form-submit').click()
    await card('gamma').waitFor()
    await form.waitFor({ state: 'detached' })
    expect(await sequenceNames()).toEqual(['alpha', 'beta', 'gamma'])
    const added = (await channelList()).channels.find(c => c.name === 'gamma')
    expect(added).toMatchObject({ serviceType: 'claude', baseUrl: upstream.url, apiKeyCount: 1, status: 'active' })

    const reorder = page.waitForResponse(r => r.url().endsWith('/api/channels/reorder') && r.request().method() === 'POST')
    const from = (await card('gamma').getByTestId('drag-handle').boundingBox())!
    const to = (await card('alpha').getByTestId('drag-handle').boundingBox())!
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    // Sortable follows the pointer frame by frame: move in steps, as a hand would.
    for (let i = 1; i <= 12; i++) {
      await page.mouse.move(from.x + from.width / 2, from.y + (to.y - from.y) * i / 12 - 4)
      await page.waitForTimeout(30)
    }
    await page.mouse.up()
    expect((await reorder).status()).toBe(200)
    expect(await sequenceNames()).toEqual(['gamma', 'alpha', 'beta'])

    await page.reload()
    await page.getByTestId('sequence').waitFor()
    expect(await sequenceNames()).toEqual(['gamma', 'alpha', 'beta'])
    const byPriority = (await channelList()).channels.filter(c => c.status !== 'disabled').sort((a, b) => a.priority - b.priority).map(c => c.name)
    expect(byPriority).toEqual(['gamma', 'alpha', 'beta'])
  })

  it('rolls the order back and explains when the config changed meanwhile (409)', async () => {
    await newPage()
    await signIn(page)
    const before = await sequenceNames()
    // Another admin changes the config: the page's ETag is now stale.
    await api('/api/loadbalance', { method: 'PUT', body: JSON.stringify({ strategy: 'round-robin' }) })
    await api('/api/loadbalance', { method: 'PUT', body: JSON.stringify({ strategy: 'failover' }) })
    await cardAction(before[1]!, 'Move up')
    await toast('The configuration changed meanwhile').waitFor()
    expect(await sequenceNames()).toEqual(before)
  })

  it('disables a channel into the backup pool and enables it again', async () => {
    await newPage()
    await signIn(page)
    await cardAction('gamma', 'Disable (backup pool)')
    await page.getByTestId('backup').getByTestId('channel-card-gamma').waitFor()
    expect(await sequenceNames()).not.toContain('gamma')
    expect((await channelList()).channels.find(c => c.name === 'gamma')?.status).toBe('disabled')

    await cardAction('gamma', 'Enable')
    await page.getByTestId('sequence').getByTestId('channel-card-gamma').waitFor()
  })

  it('resume, promote, ping and models call through', async () => {
    await newPage()
    await signIn(page)
    const resume = page.waitForResponse(r => r.url().endsWith('/api/channels/chanalpha/resume'))
    await cardAction('alpha', 'Resume breaker')
    expect((await resume).status()).toBe(200)
    await readAndCloseToast('Breaker of alpha closed')

    const promote = page.waitForResponse(r => r.url().endsWith('/api/channels/chanalpha/promotion'))
    await cardAction('alpha', 'Promote for 5 minutes')
    expect((await promote).request().postDataJSON()).toEqual({ duration: 300 })
    await card('alpha').getByText(/Promoted/).waitFor()
    expect((await channelList()).channels.find(c => c.name === 'alpha')?.promotionUntil).toBeTruthy()

    await cardAction('alpha', 'Ping')
    await readAndCloseToast(/alpha answered in \d+ ms/)

    await cardAction('alpha', 'Upstream models')
    await page.getByRole('dialog').getByText('claude-opus-4-1').waitFor()
  })

  it('edits a channel: masked keys, a new mapping picked from the upstream\'s models, a multiplier', async () => {
    await newPage()
    await signIn(page)
    await cardAction('alpha', 'Edit')
    const form = page.getByTestId('channel-form')
    await form.getByTestId('existing-keys').getByText(/^sk-ant-/).waitFor()
    expect(await form.getByTestId('existing-keys').textContent()).not.toContain('sk-ant-alpha-0123456789abcdef')
    await form.getByRole('button', { name: 'Fetch models' }).click()
    await toast('2 upstream models loaded').waitFor()
    await form.getByRole('button', { name: 'Add mapping' }).click()
    await form.getByLabel('Requested model (e.g. sonnet)').last().fill('opus')
    await form.getByLabel('Upstream model').last().fill('claude-opus-4-1')
    await form.getByRole('button', { name: 'Add multiplier' }).click()
    await form.getByRole('spinbutton', { name: 'Output' }).fill('0.5')
    await page.getByTestId('channel-form-submit').click()
    await form.waitFor({ state: 'detached' })
    const alpha = (await channelList()).channels.find(c => c.name === 'alpha')!
    expect(alpha.modelMapping).toEqual({ sonnet: 'claude-sonnet-4-5', opus: 'claude-opus-4-1' })
    expect(alpha.priceMultipliers).toEqual({ _default: { outputMultiplier: 0.5 } })
    expect(alpha.apiKeyCount).toBe(1)
  })

  it('deletes a channel after confirmation', async () => {
    await newPage()
    await signIn(page)
    await cardAction('gamma', 'Delete')
    await page.getByTestId('confirm-delete').click()
    await card('gamma').waitFor({ state: 'detached' })
    expect((await channelList()).channels.map(c => c.name)).not.toContain('gamma')
  })
})

describe('the shell', () => {
  it('switches the language, remembered across reloads', async () => {
    await newPage()
    await signIn(page)
    await page.getByRole('heading', { name: 'Failover sequence' }).waitFor()
    await page.getByTestId('language').click()
    await page.getByRole('menuitemcheckbox', { name: '简体中文' }).click()
    await page.getByRole('heading', { name: '故障转移序列' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { name: '故障转移序列' }).waitFor()
    await screenshot(page, 'channels-zh')
  })

  it('follows a Chinese browser on the first visit', async () => {
    await newPage({ locale: 'zh-CN' })
    await page.goto(`${server.url}/login`)
    await page.getByRole('heading', { name: '登录' }).waitFor()
  })

  it('logs out, and the pages then ask for the key again', async () => {
    await newPage()
    await signIn(page)
    await page.getByTestId('logout').click()
    await page.waitForURL(/\/login/)
    expect(await page.evaluate(() => localStorage.getItem('ccb-key'))).toBeNull()
    await page.goto(`${server.url}/channels/messages`)
    await page.waitForURL(/\/login\?redirect=/)
  })
})

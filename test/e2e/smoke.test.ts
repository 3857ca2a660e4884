import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, offOriginRequests, screenshot } from '../support/browser'
import { ACCESS_KEY, startServer, type RunningServer } from '../support/server'

let server: RunningServer
let browser: Browser

beforeAll(async () => {
  server = await startServer({ config: { upstream: [] } })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the admin UI in Chromium', () => {
  it('loads from its own origin only and shows the gateway\'s name', async () => {
    const page = await browser.newPage()
    const off = offOriginRequests(page, server.url)
    await page.goto(`${server.url}/?key=${ACCESS_KEY}`)
    await page.getByText('cc-bridge').first().waitFor()
    await screenshot(page, 'smoke')
    expect(off).toEqual([])
  })
})

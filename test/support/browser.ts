import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's chromium (`.ci/run` installs it); `CHROMIUM_PATH` points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Where the UI tests put their screenshots (ignored by git). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-output/screenshots')

/**
 * Headless Chromium with nothing of its own reaching the network: no component updates, sync,
 * or background fetches, so every request a page makes is one the UI made.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps'],
  })
}

/**
 * Records every request of `page` that leaves `origin` (the UI must make none: fonts, icons
 * and scripts are bundled). Check the returned list at the end of a test.
 */
export function offOriginRequests(page: Page, origin: string): string[] {
  const off: string[] = []
  page.on('request', (req) => {
    const url = req.url()
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) off.push(url)
  })
  return off
}

/** Saves a full-page screenshot as `<name>.png` under {@link SCREENSHOTS}. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = resolve(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

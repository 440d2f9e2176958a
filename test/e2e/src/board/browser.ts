import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Said when no browser is found: the browser tests are then reported as skipped, never as passed. */
export const INSTALL_HINT = 'no Chromium found: apt-get install -y chromium, or set CHROME_PATH';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** CHROME_PATH, else a chromium or google-chrome on the PATH. */
export function findChrome(): string | null {
  const configured = process.env['CHROME_PATH'];
  if (configured) return executable(configured) ? configured : null;
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean))
    for (const name of names) if (executable(path.join(dir, name))) return path.join(dir, name);
  return null;
}

export const CHROME = findChrome();

/** `describe` when a browser is there, `describe.skip` (reported as skipped, with the hint) when not. */
export const describeInBrowser = (name: string, body: () => void) =>
  CHROME ? describe(name, body) : describe.skip(`${name} [SKIPPED: ${INSTALL_HINT}]`, body);

export interface RunningBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh profile of its own (a new
 * temporary --user-data-dir, removed on close); it refuses one passed in the arguments.
 */
export async function launchBrowser(): Promise<RunningBrowser> {
  if (!CHROME) throw new Error(INSTALL_HINT);
  const browser = await chromium.launch({
    executablePath: CHROME,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** Where screenshots go: a git-ignored folder of test artefacts. */
export const ARTEFACTS = path.resolve(__dirname, '..', '..', '..', '..', 'tmp', 'board-screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
}

/** A browser context at a desktop (1280 px) or tablet (768 px) width. */
export function newContext(browser: Browser, baseURL: string, width: 1280 | 768 = 1280): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width, height: 900 } });
}

import { describeInBrowser, launchBrowser, newContext, screenshot, type RunningBrowser } from './browser';
import { signIn } from './board';
import { startBoard } from './server';
import type { TestServer } from '../support/server';

describeInBrowser('smoke', () => {
  let server: TestServer;
  let chrome: RunningBrowser;
  beforeAll(async () => {
    server = await startBoard();
    chrome = await launchBrowser();
  });
  afterAll(async () => {
    await chrome?.close();
    await server?.close();
  });

  it('signs in and shows capacity', async () => {
    const context = await newContext(chrome.browser, server.baseUrl);
    const page = await context.newPage();
    await signIn(page, 'placement-officer');
    await page.goto('/');
    await screenshot(page, 'smoke-capacity');
    console.log(await page.locator('h1').innerText());
  });
});

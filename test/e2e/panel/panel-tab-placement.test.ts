import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PANEL_NAME } from '../../../src/http/panel-routes.js';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';

const ARTIFACTS = join(process.cwd(), 'artifacts');

interface Placement {
  width: number;
  /** The tab's box and the visible box of the tab row, in the page's pixels. */
  tab: { left: number; right: number; top: number; bottom: number };
  row: { left: number; right: number };
  /** The tab's text as the browser lays it out, and whether its box clips it. */
  text: string;
  clipped: boolean;
  /** Scrolling the row needed to bring the tab into view, as a user would. */
  rowScrollLeft: number;
  /** The tab's box once the row is scrolled to it. */
  scrolled: { left: number; right: number };
}

/*
 * Issue 19: where the panel's tab is in the agent pane of the real web client at 1440×900 and 900×900,
 * measured in Chromium (the numbers go to artifacts/tab-placement.json, a picture of each width too).
 */
describe(`the "${PANEL_NAME}" tab in the agent pane, at 1440×900 and 900×900`, () => {
  let server: RealAgentServer;
  let browser: BrowserContext;
  let profile: string;
  const placements: Placement[] = [];

  async function measure(page: Page, width: number): Promise<Placement> {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${server.url}/`);
    const skip = page.getByRole('button', { name: 'Skip' });
    await skip.waitFor({ timeout: 5_000 }).then(() => skip.click(), () => undefined);
    await page.locator(`a[href="/chat/${server.agentId}"]`).first().click();
    await page.waitForURL(/\/chat\//);
    const tab = page.getByRole('tab', { name: PANEL_NAME, exact: true });
    const toggle = page.locator('button:has(svg.lucide-panel-right)');
    await Promise.race([tab.waitFor({ state: 'attached' }), toggle.waitFor()]);
    if (!(await tab.count()) || !(await tab.isVisible())) await toggle.click();
    await tab.waitFor({ state: 'attached' });
    const before = await tab.evaluate((node) => {
      const row = node.closest('[role="tablist"]') as HTMLElement;
      const t = node.getBoundingClientRect();
      const r = row.getBoundingClientRect();
      return {
        tab: { left: t.left, right: t.right, top: t.top, bottom: t.bottom },
        row: { left: r.left, right: r.right },
        text: (node as HTMLElement).innerText.trim(),
        clipped: (node as HTMLElement).scrollWidth > (node as HTMLElement).clientWidth + 1,
      };
    });
    await page.screenshot({ path: join(ARTIFACTS, `tab-${width}x900.png`) });
    await tab.scrollIntoViewIfNeeded();
    const after = await tab.evaluate((node) => {
      const t = node.getBoundingClientRect();
      return { rowScrollLeft: (node.closest('[role="tablist"]') as HTMLElement).scrollLeft, scrolled: { left: t.left, right: t.right } };
    });
    await page.screenshot({ path: join(ARTIFACTS, `tab-${width}x900-scrolled.png`) });
    return { width, ...before, ...after };
  }

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    server = await startRealAgentServer({ settings: { PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-tab-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await mkdir(ARTIFACTS, { recursive: true });
    const page = await browser.newPage();
    for (const width of [1440, 900]) placements.push(await measure(page, width));
    await writeFile(join(ARTIFACTS, 'tab-placement.json'), `${JSON.stringify({ name: PANEL_NAME, placements }, null, 2)}\n`);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('has a short name, shown whole (never a clipped "Plu"), at both widths', () => {
    expect(PANEL_NAME.length).toBeLessThan('Plugin Manager'.length);
    for (const at of placements) {
      expect(at.text, JSON.stringify(at)).toBe(PANEL_NAME);
      expect(at.clipped, JSON.stringify(at)).toBe(false);
    }
  });

  it('is the last tab of the row, reached by scrolling the row, and then wholly inside it, at both widths', () => {
    for (const at of placements) {
      expect(at.scrolled.left, JSON.stringify(at)).toBeGreaterThanOrEqual(at.row.left - 0.5);
      expect(at.scrolled.right, JSON.stringify(at)).toBeLessThanOrEqual(at.row.right + 0.5);
      expect(at.scrolled.right).toBeLessThanOrEqual(at.width + 0.5);
    }
  });
});

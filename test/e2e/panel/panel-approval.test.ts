import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';

const TOKEN = 'panel-approval-token-0123456789';
const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'plugin-consent');
/** Pictures of the consent flow go outside the repository, beside the other helpers' pictures. */
const SCREENS = process.env['PLUGIN_DYNAMIC_SCREENS_DIR'] ?? join(tmpdir(), 'screens-consent');

/*
 * The Plugin Hub panel in the real web client: installing an isolated plugin opens the approval
 * dialog with what it asks for; Deny leaves it installed and inactive, Activate asks again, Allow
 * approves it through the token-checked approve operation and it runs.
 */
describe('the approval dialog in the real web client, in Chromium', () => {
  let server: RealAgentServer;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  async function openPanel(): Promise<FrameLocator> {
    await page.goto(`${server.url}/`);
    const skip = page.getByRole('button', { name: 'Skip' });
    await skip.waitFor({ timeout: 5_000 }).then(() => skip.click(), () => undefined);
    await page.locator(`a[href="/chat/${server.agentId}"]`).first().click();
    await page.waitForURL(/\/chat\//);
    const tab = page.getByRole('tab', { name: 'Plugin Hub', exact: true });
    const toggle = page.locator('button:has(svg.lucide-panel-right)');
    await Promise.race([tab.waitFor(), toggle.waitFor()]);
    if (!(await tab.isVisible())) await toggle.click();
    await tab.click();
    return page.frameLocator('iframe[title="Plugin Hub"]');
  }

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    server = await startRealAgentServer({ settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN } });
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-approval-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1920, height: 1080 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('shows what the plugin asks for; Deny leaves it, Allow approves and activates it', async () => {
    const panel = await openPanel();
    await panel.locator('#keys summary').click();
    await panel.locator('#token').fill(TOKEN);
    await panel.locator('#source').fill(FIXTURE);
    await panel.locator('#install-source button').click();

    const dialog = panel.locator('#approve-plugin');
    await dialog.waitFor({ state: 'visible', timeout: 120_000 });
    expect(await panel.locator('#approve-plugin-name').textContent()).toBe('plugin-consent@1.0.0');
    expect(await panel.locator('#approve-plugin-lines li').allTextContents()).toEqual([
      'reach api.consent.test',
      'up to 30 model calls an hour',
      'store up to 8 MB',
      'no task workers',
      'no events',
      'no routes',
      'post messages to rooms it is invoked from or its settings name',
    ]);
    expect(await panel.locator('#approve-plugin-diff').isHidden()).toBe(true);
    const card = panel.locator('li[data-plugin="plugin-consent"]');
    await card.locator('.status-installed').waitFor();
    await dialog.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'panel-01-dialog-on-install.png') });

    await dialog.getByRole('button', { name: 'Deny' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await panel.locator('#notice').textContent()).toBe('Not approved: plugin-consent stays inactive.');
    expect(server.runtime.plugins.map((p) => p.name)).not.toContain('plugin-consent');

    await card.getByRole('button', { name: 'Activate' }).click();
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    await dialog.getByRole('button', { name: 'Allow' }).click();
    await card.locator('.status-active').waitFor({ timeout: 120_000 });
    expect(await card.locator('.meta').textContent()).toContain('runs isolated (default for user-source)');
    expect(server.runtime.plugins.map((p) => p.name)).toContain('plugin-consent');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'panel-02-after-allow.png') });

    const res = await fetch(`${server.pluginUrl}/plugins/approval?plugin=plugin-consent`);
    const state = ((await res.json()) as { data: { request: unknown; approval: { channel: string; digest: string } } }).data;
    expect(state.request).toBeNull();
    expect(state.approval).toMatchObject({ channel: 'panel', digest: expect.stringMatching(/^sha512-/) });
  }, 400_000);
});

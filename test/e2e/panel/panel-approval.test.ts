import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginManagementService } from '../../../src/management/plugin-management-service.js';
import { PLUGIN_MANAGEMENT_SERVICE } from '../../../src/service-types.js';
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
  let scratch: string;

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
    scratch = await mkdtemp(join(tmpdir(), 'pd-approval-upgrade-'));
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
    if (scratch) await rm(scratch, { recursive: true, force: true });
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

  it('an upgrade that asks for more waits with its diff; Review, then Allow, and the upgrade loads', async () => {
    const panel = page.frameLocator('iframe[title="Plugin Hub"]');
    const management = server.runtime.getService<PluginManagementService>(PLUGIN_MANAGEMENT_SERVICE)!;
    const upgrade = join(scratch, 'plugin-consent');
    await cp(FIXTURE, upgrade, { recursive: true });
    const manifest = JSON.parse(await readFile(join(upgrade, 'package.json'), 'utf8')) as { version: string; agentConfig: { permissions: Record<string, unknown> } };
    manifest.version = '1.1.0';
    manifest.agentConfig.permissions = { ...manifest.agentConfig.permissions, network: ['api.consent.test', 'uploads.consent.test'], modelCallsPerHour: 300 };
    await writeFile(join(upgrade, 'package.json'), JSON.stringify(manifest));
    const replace = () => management.install(upgrade, { replace: true, activate: true, allowedRoots: [scratch] });
    await expect(replace()).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED' });
    expect(management.get('plugin-consent')).toMatchObject({ status: 'active', version: '1.0.0' });

    const waiting = panel.locator('li[data-waiting="plugin-consent"]');
    await waiting.waitFor({ timeout: 30_000 });
    await waiting.getByRole('button', { name: 'Review' }).click();
    const dialog = panel.locator('#approve-plugin');
    await dialog.waitFor({ state: 'visible' });
    expect(await panel.locator('#approve-plugin-name').textContent()).toBe('plugin-consent@1.1.0');
    expect(await panel.locator('#approve-plugin-previous').textContent()).toBe('1.0.0');
    expect(await panel.locator('#approve-plugin-diff-lines li').allTextContents()).toEqual(['+ network: uploads.consent.test', '~ model calls per hour: 30 → 300']);
    await dialog.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENS, 'panel-03-upgrade-diff.png') });

    await dialog.getByRole('button', { name: 'Allow' }).click();
    await waiting.waitFor({ state: 'detached', timeout: 30_000 });
    expect((await management.approvalState('plugin-consent')).approval).toMatchObject({ version: '1.1.0', channel: 'panel', permissions: { modelCallsPerHour: 300 } });
    expect(await replace()).toMatchObject({ status: 'active', version: '1.1.0' });
    await panel.locator('li[data-plugin="plugin-consent"] .muted', { hasText: '1.1.0' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SCREENS, 'panel-04-upgrade-allowed.png') });
  }, 300_000);
});

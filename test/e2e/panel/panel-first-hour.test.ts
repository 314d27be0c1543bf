import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { SECRET_FIXTURE } from '../cli/cli-process.js';

const TOKEN = 'panel-first-hour-token-0123456789';
const ARTIFACTS = join(process.cwd(), 'artifacts');
const NOTES = {
  name: 'plugin-panel-notes',
  description: 'Keeps notes from the panel',
  actions: [{ name: 'addNote', description: 'Add a note', parameters: { text: 'string' } }],
};

/*
 * Issue 19, in the panel (opened at its own address on the real @elizaos/server 1.7.2, in Chromium):
 * an install says what the plugin still needs; Create says queued / running / done as the job is;
 * a refusal ends with the panel's advice (its controls, not the chat's actions); Replace exists;
 * an active plugin's card has a box that runs one of its actions and shows the answer.
 */
describe('the panel says what is true and offers what it advises', () => {
  let server: RealAgentServer;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const notice = () => page.locator('#notice').textContent();
  /** Every text the notice showed, in order (a MutationObserver in the page records them). */
  const notices = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    server = await startRealAgentServer({ settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN, PLUGIN_DYNAMIC_GENERATOR: 'template' } });
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-firsthour-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 600, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    await mkdir(ARTIFACTS, { recursive: true });
    await page.goto(`${server.url}/plugin-dynamic/panel?agentId=${server.agentId}`);
    await page.locator('#installed li.muted').waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      const n = document.getElementById('notice')!;
      new MutationObserver(() => w.seen.push(n.textContent ?? '')).observe(n, { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#keys summary').click();
    await page.locator('#token').fill(TOKEN);
    await page.locator('#token').dispatchEvent('change');
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('says what a new install still needs, naming the panel control to press', async () => {
    await page.locator('#source').fill(SECRET_FIXTURE);
    await page.locator('#install-source button').click();
    await expect.poll(notice, { timeout: 120_000 }).toMatch(/^Installed plugin-secret-echo; it needs SECRET_ECHO_TOKEN before it can load: press Configure on its card, then Activate\.$/);
  }, 180_000);

  it('follows a created job: queued or running first, never "done" before it is, then done with its status', async () => {
    await page.locator('#specification').fill(JSON.stringify(NOTES));
    await page.locator('#spec button').click();
    await expect.poll(notice, { timeout: 240_000 }).toMatch(/^Create plugin-panel-notes: done \(job #[0-9a-f]{8}\): plugin-panel-notes is active\.$/);
    const seen = (await notices()).filter((t) => t.startsWith('Create plugin-panel-notes'));
    expect(seen[0]).toMatch(/^Create plugin-panel-notes: (queued|running)/);
    expect(seen.filter((t) => t.includes('done')).length).toBeGreaterThan(0);
    const firstDone = seen.findIndex((t) => t.includes(': done'));
    expect(seen.slice(0, firstDone).every((t) => /: (queued|running)/.test(t))).toBe(true);
  }, 300_000);

  it("runs one of the plugin's actions from the box on its card and shows the action's answer", async () => {
    const card = page.locator('li[data-plugin="plugin-panel-notes"]');
    const box = card.locator('form.try-action');
    await box.locator('select').selectOption('ADD_NOTE');
    await box.locator('input[name="message"]').fill('{"text":"buy milk"}');
    await box.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => card.locator('.trial-answer').textContent(), { timeout: 60_000 }).toMatch(/^ADD_NOTE: Saved note #1 buy milk\. 1 note now\.$/);
    await page.screenshot({ path: join(ARTIFACTS, '06-try-action.png') });
  }, 120_000);

  it("refuses a second job under that name with the panel's advice (tick Replace), and Replace makes it go", async () => {
    await page.locator('#specification').fill(JSON.stringify({ ...NOTES, description: 'Keeps notes, second version' }));
    await page.locator('#spec button').click();
    await expect.poll(notice, { timeout: 60_000 }).toContain('Create failed. ALREADY_INSTALLED: ');
    const refused = (await notice()) ?? '';
    expect(refused).toContain('tick Replace and create again');
    expect(refused).not.toMatch(/CONFIGURE_PLUGIN|INSTALL_PLUGIN|LIST_AVAILABLE_PLUGINS/);
    await page.locator('#replace').check();
    await page.locator('#spec button').click();
    await expect.poll(notice, { timeout: 240_000 }).toMatch(/^Create plugin-panel-notes: done \(job #[0-9a-f]{8}\): plugin-panel-notes is active\.$/);
  }, 300_000);
});

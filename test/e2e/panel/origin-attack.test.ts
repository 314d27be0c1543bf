import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { PANEL_NAME } from '../../../src/http/panel-routes.js';

const here = dirname(fileURLToPath(import.meta.url));
const PAGES = join(here, 'fixtures', 'plugin-pages');
const TOKEN = 'origin-attack-token-0123456789';
const ARTIFACTS = join(process.cwd(), 'artifacts');

interface AttackResult {
  storage: string | null;
  frameToken: string | null;
  status: number;
  code: string | null;
}

/*
 * Issue 18's full escape, replayed in the real web client: an isolated plugin's public, named GET route
 * serves HTML whose script looks for the Plugin Manager's change token and moves the plugin into the
 * agent's process. The page must not be served as HTML, must not be a tab, and the script, even run on
 * the origin with the token in hand, must not move the plugin.
 */
describe("an isolated plugin's page in the real web client, in Chromium", () => {
  let server: RealAgentServer;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const pagesUrl = () => `${server.url}/api/agents/${server.agentId}/plugins/plugin-pages`;
  const isolation = async () => {
    const res = await fetch(`${server.pluginUrl}/plugins`);
    const plugins = ((await res.json()) as { data: { packageName: string; isolation: string; status: string }[] }).data;
    const p = plugins.find((x) => x.packageName === 'plugin-pages');
    return `${p?.status} ${p?.isolation}`;
  };

  async function openPanel(): Promise<FrameLocator> {
    await page.goto(`${server.url}/`);
    const skip = page.getByRole('button', { name: 'Skip' });
    await skip.waitFor({ timeout: 5_000 }).then(() => skip.click(), () => undefined);
    await page.locator(`a[href="/chat/${server.agentId}"]`).first().click();
    await page.waitForURL(/\/chat\//);
    const tab = page.getByRole('tab', { name: PANEL_NAME, exact: true });
    const toggle = page.locator('button:has(svg.lucide-panel-right)');
    await Promise.race([tab.waitFor(), toggle.waitFor()]);
    if (!(await tab.isVisible())) await toggle.click();
    await tab.click();
    return page.frameLocator(`iframe[title="${PANEL_NAME}"]`);
  }

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    server = await startRealAgentServer({ settings: { PLUGIN_DYNAMIC_API_TOKEN: TOKEN } });
    const post = (path: string, body: unknown) =>
      fetch(`${server.pluginUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
    // An isolated plugin asks first: the install answers 403 APPROVAL_REQUIRED with the request, which is approved over the API.
    const installed = await post('/plugins/install', { source: PAGES, activate: true });
    expect(installed.status).toBe(403);
    const { error } = (await installed.json()) as { error: { code: string; request: { packageName: string; digest: string } } };
    expect(error.code).toBe('APPROVAL_REQUIRED');
    const approved = await post('/plugins/approve', { plugin: error.request.packageName, digest: error.request.digest, activate: true });
    expect(approved.status).toBe(200);
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1920, height: 1080 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    await mkdir(ARTIFACTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('is planted: the plugin runs isolated and its route, asking to be a public named panel, is registered', async () => {
    expect(await isolation()).toBe('active isolated');
    const paths = server.runtime.routes.map((r) => r.path);
    expect(paths).toContain('/plugin-pages/page');
  });

  it('is not a tab of the agent pane', async () => {
    const panel = await openPanel();
    await panel.locator('li[data-plugin="plugin-pages"]').waitFor();
    const tabs = (await page.getByRole('tab').allTextContents()).map((t) => t.trim());
    expect(tabs).toContain(PANEL_NAME);
    expect(tabs).not.toContain('Evil Panel');
    const panels = (await (await fetch(`${server.url}/api/agents/${server.agentId}/panels`)).json()) as { data: { name: string }[] };
    expect(panels.data.map((p) => p.name)).toEqual([PANEL_NAME]);
  });

  it('is not served as HTML: refused when it says HTML, sandboxed plain text when it says nothing; its script never runs', async () => {
    const declared = await fetch(`${pagesUrl()}/page`);
    expect(declared.status).toBe(502);
    expect(declared.headers.get('content-security-policy')).toBe('sandbox');
    expect(await declared.json()).toMatchObject({ success: false, error: { code: 'ROUTE_CONTENT_REFUSED' } });

    const untyped = await fetch(`${pagesUrl()}/untyped`);
    // The plugin's host was called and answered with its page: the attack is delivered...
    expect(untyped.status).toBe(200);
    expect(await untyped.text()).toContain('window.__attack');
    // ...as inert text.
    expect(untyped.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(untyped.headers.get('content-security-policy')).toBe('sandbox');
    expect(untyped.headers.get('x-content-type-options')).toBe('nosniff');

    const direct = await browser.newPage();
    await direct.goto(`${pagesUrl()}/untyped`);
    expect(await direct.evaluate(() => document.contentType)).toBe('text/plain');
    expect(await direct.locator('body').textContent()).toContain('<script>');
    expect(await direct.evaluate(() => typeof (window as unknown as { __attack?: unknown }).__attack)).toBe('undefined');
    expect(await direct.title()).not.toBe('attack-ran');
    await direct.close();
    expect(await isolation()).toBe('active isolated');
  });

  it('cannot read the token from storage, nor move itself in-process with it, even run as a script of the origin', async () => {
    const panel = page.frameLocator(`iframe[title="${PANEL_NAME}"]`);
    await panel.locator('#keys summary').click();
    await panel.locator('#token').fill(TOKEN);
    await panel.locator('#token').dispatchEvent('change');
    // The plugin's own script, run in the client's page beside the open panel: the worst a page on the origin could do.
    const body = await (await fetch(`${pagesUrl()}/untyped`)).text();
    const script = /<script>([\s\S]*)<\/script>/.exec(body)?.[1] ?? '';
    expect(script).toContain('plugins/isolation');
    const found = await page.evaluate(async (source) => {
      (0, eval)(source);
      return (window as unknown as { __attack: Promise<AttackResult> }).__attack;
    }, script);
    // The attack ran to its end: it searched the storage, found the live panel's field and sent the request.
    expect(await page.title()).toBe('attack-ran');
    expect(found.storage).toBeNull();
    expect(found.frameToken).toBe(TOKEN);
    expect(found.status).toBe(403);
    expect(found.code).toBe('CONFIRMATION_REQUIRED');
    expect(await isolation()).toBe('active isolated');
    const stored = await page.frame({ url: /\/plugin-dynamic\/panel/ })?.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).toBeDefined();
    expect(stored).not.toContain(TOKEN);
  });

  it('moves in-process only when a person types its name and the code from the agent\'s terminal', async () => {
    const printed: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
    try {
      const panel = page.frameLocator(`iframe[title="${PANEL_NAME}"]`);
      const item = panel.locator('li[data-plugin="plugin-pages"]');
      await item.getByRole('button', { name: 'Run in-process' }).click();
      await expect.poll(() => panel.locator('#notice').textContent()).toContain('CONFIRMATION_REQUIRED');
      const form = panel.locator('#confirm-in-process');
      await form.waitFor();
      expect(await isolation()).toBe('active isolated');
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, '06-in-process-confirmation.png') });
      const code = [...printed.join('').matchAll(/the code ([A-Z0-9]{4}-[A-Z0-9]{4})/g)].map((m) => m[1]).at(-1) ?? '';
      expect(code).not.toBe('');
      await form.locator('input[name="name"]').fill('plugin-pages');
      await form.locator('input[name="code"]').fill(code);
      await form.getByRole('button', { name: 'Run in-process' }).click();
      await expect.poll(isolation, { timeout: 60_000 }).toBe('active in-process');
    } finally {
      stderr.mockRestore();
    }
  }, 120_000);
});

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { templateFiles } from '../../../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { startRealAgentServer, type RealAgentServer } from '../../helpers/agent-server.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { SECRET_FIXTURE } from '../cli/cli-process.js';

const TOKEN = 'panel-test-token-0123456789';
const SERVER_KEY = 'server-api-key-0123456789';
const ARTIFACTS = join(process.cwd(), 'artifacts');
const WEATHER = {
  name: '@elizaos/plugin-weather',
  description: 'Weather information plugin',
  version: '1.0.0',
  actions: [{ name: 'getCurrentWeather', description: 'Get current weather for a location', parameters: { location: 'string' } }],
  // Two components no recipe fits (honest scaffolds) and one a recipe makes work.
  providers: [
    { name: 'weatherData', description: 'Provides weather data context' },
    { name: 'localTime', description: 'The current date and time where the user is' },
  ],
};
const FAILING = { name: 'plugin-always-red', description: 'Its tests never pass', actions: [{ name: 'redAction', description: 'red' }] };

/** A model whose plugin always fails one of its own tests. */
function redModel(prompt: string): string {
  if (prompt.startsWith('You review')) return JSON.stringify({ score: 90, issues: [], suggestions: [] });
  const files = templateFiles(parsePluginSpec(FAILING));
  files.push({ path: 'src/__tests__/red.test.ts', content: "import { expect, it } from 'vitest';\n\nit('counts to three', () => {\n  expect([1, 2].length).toBe(3);\n});\n" });
  return files.map((f) => `\`\`\`ts path=${f.path}\n${f.content}\`\`\``).join('\n\n');
}

/** True when the frame's page is wider than the frame, or any element reaches past its right edge. */
async function overflowsSideways(page: Page): Promise<boolean> {
  const frame = page.frame({ url: /\/plugin-dynamic\/panel/ });
  if (!frame) throw new Error('The panel frame is not loaded.');
  return frame.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) return true;
    return Array.from(document.querySelectorAll('body *')).some((e) => e.getBoundingClientRect().right > width + 1);
  });
}

/**
 * A screenshot of the page with the client's toasts closed the way a user closes them, by their X.
 * ("Connection Restored" after a socket reconnect sits over the pane's bottom, and Radix pauses its timer
 * while the focus is in the panel's frame, so it would never go by itself.)
 */
async function screenshotUncovered(page: Page, name: string): Promise<void> {
  const close = page.locator('button[toast-close]');
  for (const button of await close.all()) await button.click({ force: true }).catch(() => undefined);
  // A picture, not a check: a toast that outlives the wait is photographed rather than failing the test.
  await close.first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => undefined);
  await page.screenshot({ path: join(ARTIFACTS, name) });
}

/*
 * The real @elizaos/server 1.7.2 serves its real web client; a user drives it in Chromium the way
 * they would: open the agent, open the agent pane, pick the panel's tab, and work inside the frame.
 */
describe('the panel in the real ElizaOS web client, in Chromium', () => {
  let registry: FixtureServer;
  let server: RealAgentServer;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  /** Home -> the agent's chat -> the agent pane -> the "Plugin Hub" tab; returns its frame. */
  async function openPanel(): Promise<FrameLocator> {
    await page.goto(`${server.url}/`);
    // The first visit shows the client's onboarding tour; a user skips it.
    const skip = page.getByRole('button', { name: 'Skip' });
    await skip.waitFor({ timeout: 5_000 }).then(() => skip.click(), () => undefined);
    // The agent in the client's left list: a link to its chat.
    await page.locator(`a[href="/chat/${server.agentId}"]`).first().click();
    await page.waitForURL(/\/chat\//);
    const tab = page.getByRole('tab', { name: 'Plugin Hub', exact: true });
    // The pane's visibility is remembered by the client; open it with its toggle when it is closed.
    const toggle = page.locator('button:has(svg.lucide-panel-right)');
    await Promise.race([tab.waitFor(), toggle.waitFor()]);
    if (!(await tab.isVisible())) await toggle.click();
    await tab.click();
    return page.frameLocator('iframe[title="Plugin Hub"]');
  }

  beforeAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    registry = await startFixtureServer();
    server = await startRealAgentServer({
      model: (prompt) => redModel(prompt),
      settings: {
        PLUGIN_DYNAMIC_API_TOKEN: TOKEN,
        PLUGIN_DYNAMIC_GENERATOR: 'template',
        PLUGIN_DYNAMIC_MAX_ITERATIONS: '2',
        PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json`,
      },
    });
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1920, height: 1080 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    delete process.env['ELIZA_SERVER_AUTH_TOKEN'];
    await browser?.close();
    await server?.close();
    await registry?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('is a tab of the agent pane named "Plugin Hub", in the client\'s dark theme, as wide as its frame', async () => {
    const panel = await openPanel();
    await expect.poll(() => panel.locator('h1').textContent()).toBe('Plugin Manager');
    await panel.locator('#installed li.muted').waitFor();
    // The client's own tabs: ours does not share a name with Agent Settings' "Plugins".
    const tabs = await page.getByRole('tab').allTextContents();
    expect(tabs.filter((t) => t.trim() === 'Plugin Hub')).toHaveLength(1);
    const frame = page.frame({ url: /\/plugin-dynamic\/panel/ });
    expect(await frame?.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    // hsl(0 0% 9%): the client's dark background, read from the parent page.
    expect(await frame?.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(23, 23, 23)');
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, '01-panel-found.png') });
  });

  it('searches the registry, installs, configures, activates, deactivates and uninstalls (API key off)', async () => {
    const panel = page.frameLocator('iframe[title="Plugin Hub"]');
    await panel.locator('#keys summary').click();
    await panel.locator('#token').fill(TOKEN);
    await panel.locator('#token').dispatchEvent('change');

    await panel.locator('#query').fill('bootstrap');
    await panel.locator('#search button').click();
    await panel.locator('li[data-result="@elizaos/plugin-bootstrap"] button').click();
    const bootstrap = panel.locator('li[data-plugin="@elizaos/plugin-bootstrap"]');
    await bootstrap.locator('.status-active').waitFor({ timeout: 120_000 });
    // A registry plugin runs in the agent's process by default, and says so beside its trust tier.
    const bootstrapMeta = await bootstrap.locator('.meta').textContent();
    expect(bootstrapMeta).toContain('trust: registry');
    expect(bootstrapMeta).toContain('runs in-process (default for registry)');
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, '02-after-install.png') });

    await panel.locator('#source').fill(SECRET_FIXTURE);
    await panel.locator('#install-source button').click();
    const echo = panel.locator('li[data-plugin="plugin-secret-echo"]');
    await echo.locator('.status-needs_configuration').waitFor({ timeout: 120_000 });
    expect(await echo.locator('.meta').textContent()).toContain('runs isolated (default for user-source)');
    await echo.getByRole('button', { name: 'Configure' }).click();
    await panel.locator('#configure input[name="SECRET_ECHO_TOKEN"]').fill('panel-secret-value');
    await panel.locator('#configure button[type="submit"]').click();
    await echo.getByRole('button', { name: 'Activate' }).click();
    // An isolated plugin asks first (test/e2e/panel/panel-approval.test.ts): Allow in its dialog.
    await panel.locator('#approve-plugin').getByRole('button', { name: 'Allow' }).click({ timeout: 60_000 });
    await echo.locator('.status-active').waitFor({ timeout: 60_000 });

    await bootstrap.getByRole('button', { name: 'Deactivate' }).click();
    await bootstrap.locator('.status-inactive').waitFor({ timeout: 60_000 });

    await echo.getByRole('button', { name: 'Uninstall' }).click();
    await expect.poll(() => echo.textContent()).toContain('Uninstall plugin-secret-echo?');
    await echo.getByRole('button', { name: 'Yes, uninstall' }).click();
    await expect.poll(() => echo.count(), { timeout: 60_000 }).toBe(0);
    expect(server.runtime.plugins.map((p) => p.name)).not.toContain('plugin-secret-echo');
  }, 400_000);

  it('creates a plugin from a specification; the job shows its id, time, iterations, tests, timing and components', async () => {
    const panel = page.frameLocator('iframe[title="Plugin Hub"]');
    await panel.locator('#specification').fill(JSON.stringify(WEATHER, null, 2));
    await panel.locator('#spec button').click();
    const job = panel.locator('li[data-status="succeeded"]', { hasText: '@elizaos/plugin-weather' });
    await job.waitFor({ timeout: 180_000 });
    await panel.locator('li[data-plugin="@elizaos/plugin-weather"] .status-active').waitFor();
    const meta = (await job.locator('.meta').allTextContents()).join(' ');
    expect(meta).toMatch(/#[0-9a-f]{8}/);
    expect(meta).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(meta).toContain('iteration 1/2');
    expect(meta).toMatch(/tests (\d+)\/\1 passed/);
    // Model time and tool time apart: a template job asks the model nothing.
    expect(meta).toMatch(/model \d+\.\d s \(0 calls\), tools \d+\.\d s/);
    // Which components work and which are scaffolds that say they are not implemented.
    expect(await job.locator('.job-components > .meta').first().textContent()).toContain('1 of 3 components working');
    const component = (name: string) => job.locator(`li[data-component="${name}"]`);
    expect(await component('localTime').getAttribute('data-working')).toBe('true');
    expect(await component('localTime').textContent()).toContain('working');
    expect(await component('GET_CURRENT_WEATHER').getAttribute('data-working')).toBe('false');
    expect(await component('GET_CURRENT_WEATHER').textContent()).toContain('scaffold');
    expect(await component('GET_CURRENT_WEATHER').textContent()).toContain('not implemented');
    expect(await component('weatherData').textContent()).toContain('scaffold');
    expect(await overflowsSideways(page)).toBe(false);
    await job.scrollIntoViewIfNeeded();
    await screenshotUncovered(page, '03-job-finished.png');
  }, 240_000);

  it('shows where a plugin runs and moves it with the control: in-process, then back to its default', async () => {
    const panel = page.frameLocator('iframe[title="Plugin Hub"]');
    const weather = panel.locator('li[data-plugin="@elizaos/plugin-weather"]');
    const meta = () => weather.locator('.meta').textContent();
    expect(await meta()).toContain('trust: generated');
    expect(await meta()).toContain('runs isolated (default for generated)');
    // Into the agent's process only with the name typed and the code the agent printed on its terminal.
    const printed: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
    try {
      await weather.getByRole('button', { name: 'Run in-process' }).click();
      const form = panel.locator('#confirm-in-process');
      await form.waitFor();
      const code = [...printed.join('').matchAll(/the code ([A-Z0-9]{4}-[A-Z0-9]{4})/g)].map((m) => m[1]).at(-1) ?? '';
      await form.locator('input[name="name"]').fill('@elizaos/plugin-weather');
      await form.locator('input[name="code"]').fill(code);
      await form.getByRole('button', { name: 'Run in-process' }).click();
    } finally {
      stderr.mockRestore();
    }
    await expect.poll(meta, { timeout: 60_000 }).toContain('runs in-process (override)');
    await weather.locator('.status-active').waitFor({ timeout: 60_000 });
    await weather.scrollIntoViewIfNeeded();
    expect(await overflowsSideways(page)).toBe(false);
    await screenshotUncovered(page, '05-isolation-override.png');
    const viaApi = async () => {
      const res = await fetch(`${server.pluginUrl}/plugins`);
      const plugins = ((await res.json()) as { data: { packageName: string; isolation: string; isolationDecidedBy: string }[] }).data;
      const p = plugins.find((x) => x.packageName === '@elizaos/plugin-weather');
      return `${p?.isolation} ${p?.isolationDecidedBy}`;
    };
    expect(await viaApi()).toBe('in-process override');
    await weather.getByRole('button', { name: 'Default for generated' }).click();
    await expect.poll(meta, { timeout: 60_000 }).toContain('runs isolated (default for generated)');
    await weather.locator('.status-active').waitFor({ timeout: 60_000 });
    expect(await viaApi()).toBe('isolated default');
  }, 180_000);

  it('shows a failed job with the failures of each iteration readable', async () => {
    const res = await fetch(`${server.pluginUrl}/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ specification: FAILING, generator: 'model' }),
    });
    expect(res.status).toBe(200);
    const panel = page.frameLocator('iframe[title="Plugin Hub"]');
    const item = panel.locator('li[data-status="failed"]', { hasText: 'plugin-always-red' });
    await item.waitFor({ timeout: 180_000 });
    expect((await item.locator('.meta').allTextContents()).join(' ')).toContain('iteration 2/2');
    await item.locator('summary').click();
    const failures = (await item.locator('.failures').allTextContents()).join('\n');
    expect(failures).toContain('GENERATION_FAILED');
    expect(failures).toContain('Iteration 2 failed at test');
    expect(failures).toContain('counts to three');
  }, 240_000);

  it('works with the server API key on: the tab loads, and the panel sends the key the client stored', async () => {
    process.env['ELIZA_SERVER_AUTH_TOKEN'] = SERVER_KEY;
    // Under /api the server itself refuses a request without the key: an iframe cannot send one.
    const underApi = await fetch(`${server.pluginUrl}/panel`);
    expect(underApi.status).toBe(401);
    // The user gives the client its key where the client asks for it: Settings, "Manage API Key".
    await page.goto(`${server.url}/settings/`);
    await page.getByRole('button', { name: 'Manage API Key' }).click();
    await page.locator('#api-key').fill(SERVER_KEY);
    await page.getByRole('button', { name: 'Save Key' }).click();

    const panel = await openPanel();
    const bootstrap = panel.locator('li[data-plugin="@elizaos/plugin-bootstrap"]');
    await bootstrap.locator('.status-inactive').waitFor({ timeout: 60_000 });
    await panel.locator('#keys summary').click();
    await panel.locator('#token').fill(TOKEN);
    await panel.locator('#token').dispatchEvent('change');
    await bootstrap.getByRole('button', { name: 'Activate' }).click();
    await bootstrap.locator('.status-active').waitFor({ timeout: 60_000 });
    const weather = panel.locator('li[data-plugin="@elizaos/plugin-weather"]');
    await weather.getByRole('button', { name: 'Uninstall' }).click();
    await weather.getByRole('button', { name: 'Yes, uninstall' }).click();
    await expect.poll(() => weather.count(), { timeout: 60_000 }).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, '04-api-key-on.png') });
  }, 240_000);

  it('with the API key on and none stored, says why and asks for it instead of showing raw JSON', async () => {
    await page.evaluate(() => localStorage.clear());
    const direct = await browser.newPage();
    await direct.goto(`${server.url}/plugin-dynamic/panel?agentId=${server.agentId}`);
    await expect.poll(() => direct.locator('#notice').textContent()).toContain('SERVER_API_KEY_REQUIRED');
    await direct.locator('#server-key').fill(SERVER_KEY);
    await direct.locator('#server-key').dispatchEvent('change');
    await direct.locator('li[data-plugin="@elizaos/plugin-bootstrap"] .status-active').waitFor({ timeout: 30_000 });
    await direct.close();
  });
});

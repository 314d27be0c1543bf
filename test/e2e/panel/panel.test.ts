import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateFiles } from '../../../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../../../src/creation/spec/index.js';
import { pluginDynamic } from '../../../src/index.js';
import { startAgentServer } from '../../helpers/agent-server.js';
import { startFixtureServer } from '../../helpers/fixture-server.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

const TOKEN = 'panel-test-token-0123456789';
const ARTIFACTS = join(process.cwd(), 'artifacts');
const WEATHER = {
  name: '@elizaos/plugin-weather',
  description: 'Weather information plugin',
  version: '1.0.0',
  actions: [{ name: 'getCurrentWeather', description: 'Get current weather for a location', parameters: { location: 'string' } }],
  providers: [{ name: 'weatherData', description: 'Provides weather data context' }],
};
const FAILING = { name: 'plugin-always-red', description: 'Its tests never pass', actions: [{ name: 'redAction', description: 'red' }] };

/** A model whose plugin always fails one of its own tests. */
function redModel(prompt: string): string {
  if (prompt.startsWith('You review')) return JSON.stringify({ score: 90, issues: [], suggestions: [] });
  const files = templateFiles(parsePluginSpec(FAILING));
  files.push({ path: 'src/__tests__/red.test.ts', content: "import { expect, it } from 'vitest';\n\nit('counts to three', () => {\n  expect([1, 2].length).toBe(3);\n});\n" });
  return files.map((f) => `\`\`\`ts path=${f.path}\n${f.content}\`\`\``).join('\n\n');
}

describe('the web panel in Chromium', () => {
  let t: TestRuntime;
  let registry: Awaited<ReturnType<typeof startFixtureServer>>;
  let server: Awaited<ReturnType<typeof startAgentServer>>;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    registry = await startFixtureServer();
    t = await createTestRuntime({
      plugins: [pluginDynamic],
      model: (prompt) => redModel(prompt),
      settings: {
        PLUGIN_DYNAMIC_API_TOKEN: TOKEN,
        PLUGIN_DYNAMIC_GENERATOR: 'template',
        PLUGIN_DYNAMIC_MAX_ITERATIONS: '2',
        PLUGIN_DYNAMIC_REGISTRY_URL: `${registry.url}/registry/generated-registry.json`,
      },
    });
    await Promise.all([t.runtime.getServiceLoadPromise('plugin_management'), t.runtime.getServiceLoadPromise('plugin_creation')]);
    server = await startAgentServer(t.runtime);
    profile = await mkdtemp(join(tmpdir(), 'pd-chromium-'));
    // A fresh profile folder is the --user-data-dir; playwright passes it for a persistent context.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await registry?.close();
    await t?.cleanup();
    await rm(profile, { recursive: true, force: true });
  });

  it('searches the registry, installs a plugin and deactivates it', async () => {
    await page.goto(`${server.pluginUrl}/panel`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Plugins');
    await page.fill('#token', TOKEN);
    await page.dispatchEvent('#token', 'change');
    await page.fill('#query', 'bootstrap');
    await page.click('#search button');
    const result = page.locator('li[data-result="@elizaos/plugin-bootstrap"]');
    await result.waitFor();
    await result.locator('button').click();
    const row = page.locator('tr[data-plugin="@elizaos/plugin-bootstrap"]');
    await row.locator('.status-active').waitFor({ timeout: 90_000 });
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.locator('.status-inactive').waitFor({ timeout: 30_000 });
  });

  it('creates a plugin from a specification and shows the job reach succeeded', async () => {
    await page.fill('#specification', JSON.stringify(WEATHER, null, 2));
    await page.click('#spec button');
    await page.locator('li[data-status="succeeded"]', { hasText: '@elizaos/plugin-weather' }).waitFor({ timeout: 120_000 });
    await page.locator('tr[data-plugin="@elizaos/plugin-weather"] .status-active').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'panel.png'), fullPage: true });
  });

  it('shows a failed job with the failures of each iteration readable', async () => {
    const res = await fetch(`${server.pluginUrl}/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ specification: FAILING, generator: 'model' }),
    });
    expect(res.status).toBe(200);
    const item = page.locator('li[data-status="failed"]', { hasText: 'plugin-always-red' });
    await item.waitFor({ timeout: 120_000 });
    await item.locator('summary').click();
    const failures = await item.locator('.failures').allTextContents();
    expect(failures.join('\n')).toContain('GENERATION_FAILED');
    expect(failures.join('\n')).toContain('Iteration 2 failed at test');
    expect(failures.join('\n')).toContain('counts to three');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-failed-job.png'), fullPage: true });
  });
});

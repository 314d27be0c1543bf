import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SettingSource } from '../../../../src/config.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { workspacePackageJson } from '../../../../src/creation/workspace/index.js';
import { declaredNetworkHosts, NETWORK_HOSTS_SETTING } from '../../../../src/management/install/declared-network-hosts.js';
import { readPluginManifest } from '../../../../src/management/install/plugin-manifest.js';

const noSettings: SettingSource = () => undefined;
const withSetting =
  (value: string): SettingSource =>
  (key) =>
    key === NETWORK_HOSTS_SETTING ? value : undefined;
const manifest = (network: unknown, name = 'plugin-weather') => ({ name, agentConfig: { pluginParameters: {}, permissions: { network } } });

describe('the network hosts a plugin declares', () => {
  it('is nothing at all by default', () => {
    expect(declaredNetworkHosts({ name: 'plugin-weather', agentConfig: undefined }, noSettings)).toEqual({ hosts: [], source: 'none', problems: [] });
    expect(declaredNetworkHosts({ name: 'plugin-weather', agentConfig: { pluginParameters: {} } }, noSettings)).toEqual({ hosts: [], source: 'none', problems: [] });
    expect(declaredNetworkHosts(manifest([]), noSettings)).toEqual({ hosts: [], source: 'none', problems: [] });
  });

  it("comes from package.json's agentConfig.permissions.network, normalized and without repeats", () => {
    expect(declaredNetworkHosts(manifest(['API.Weather.example', 'api.weather.example.', 'wttr.in']), noSettings)).toEqual({
      hosts: ['api.weather.example', 'wttr.in'],
      source: 'package',
      problems: [],
    });
  });

  it('leaves out entries that are not plain host names, and says so', () => {
    const result = declaredNetworkHosts(manifest(['api.weather.example', '*', 'localhost', '169.254.169.254', 'https://x.example']), noSettings);
    expect(result.hosts).toEqual(['api.weather.example']);
    expect(result.problems).toHaveLength(4);
    expect(result.problems[0]).toMatch(/"\*" is not a host name/);
  });

  it('reads the declaration through the one permission reader: one that is not valid gives no network, and says why', () => {
    const notAList = declaredNetworkHosts(manifest('api.weather.example'), noSettings);
    expect(notAList).toMatchObject({ hosts: [], source: 'none' });
    expect(notAList.problems[0]).toMatch(/agentConfig\.permissions\.network: .*least permissions/);
    const notText = declaredNetworkHosts(manifest(['api.weather.example', 42]), noSettings);
    expect(notText).toMatchObject({ hosts: [], source: 'none' });
    expect(notText.problems[0]).toMatch(/agentConfig\.permissions\.network\.1/);
  });

  it('takes no more than 50 hosts from a package.json: a longer list is refused whole', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `h${i}.example.com`);
    expect(declaredNetworkHosts(manifest(fifty), noSettings).hosts).toHaveLength(50);
    const result = declaredNetworkHosts(manifest([...fifty, 'h50.example.com']), noSettings);
    expect(result.hosts).toEqual([]);
    expect(result.problems[0]).toMatch(/least permissions/);
  });

  it("the agent's setting, when it names the plugin, replaces the package's list; an empty list withdraws network", () => {
    const setting = withSetting(JSON.stringify({ 'plugin-weather': ['Api.Other.example'], 'plugin-notes': [] }));
    expect(declaredNetworkHosts(manifest(['api.weather.example']), setting)).toEqual({ hosts: ['api.other.example'], source: 'setting', problems: [] });
    expect(declaredNetworkHosts(manifest(['api.notes.example'], 'plugin-notes'), setting)).toEqual({ hosts: [], source: 'setting', problems: [] });
    // A plugin the setting does not name keeps its package's list.
    expect(declaredNetworkHosts(manifest(['api.todo.example'], 'plugin-todo'), setting)).toMatchObject({ hosts: ['api.todo.example'], source: 'package' });
    // A blank setting is no setting.
    expect(declaredNetworkHosts(manifest(['api.weather.example']), withSetting('  '))).toMatchObject({ source: 'package' });
  });

  it('refuses a setting that is not JSON of plugin names to host names, naming the setting', () => {
    for (const bad of ['api.weather.example', '["api.weather.example"]', '{"plugin-weather": "api.weather.example"}', '{"plugin-weather": ["127.0.0.1"]}', '{"plugin-weather": ["*.example.com"]}']) {
      expect(() => declaredNetworkHosts(manifest([]), withSetting(bad)), bad).toThrow(expect.objectContaining({ code: 'INVALID_SETTING', message: expect.stringContaining(NETWORK_HOSTS_SETTING) }));
    }
  });

  it("reads back what creation writes into a generated plugin's package.json", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-hosts-'));
    try {
      const spec = parsePluginSpec({ name: 'plugin-github-stars', description: 'Counts stars', permissions: { network: ['api.github.com'] } });
      await writeFile(join(dir, 'package.json'), JSON.stringify(workspacePackageJson(spec)));
      expect(declaredNetworkHosts(await readPluginManifest(dir), noSettings)).toEqual({ hosts: ['api.github.com'], source: 'package', problems: [] });

      const offline = parsePluginSpec({ name: 'plugin-offline', description: 'No network' });
      expect(workspacePackageJson(offline)['agentConfig']).toMatchObject({ permissions: { network: [], modelCallsPerHour: 0, storageMb: 0, postToRooms: false } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

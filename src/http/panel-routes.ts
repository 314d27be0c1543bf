import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Route, RouteResponse } from '@elizaos/core';
import { panelOperationsScript } from './panel-operations.js';
import { PANEL_DIR } from '../shared/package-paths.js';

/**
 * The tab's label in the web client. Short, because the client puts plugin tabs last in the agent
 * pane's tab row, which is narrower than its tabs (measured in test/e2e/panel/panel-tab-placement.test.ts):
 * "Plugin Manager" showed as "Plu" at the row's edge at 900 px. Not "Plugins": Agent Settings (under
 * Details) has a sub-tab of that name, which the client renders as a second tab called "Plugins".
 */
export const PANEL_NAME = 'Plugin Hub';

/**
 * The path the web client opens in the tab's iframe. The client builds the iframe's address as
 * /api/agents/<id>/plugins/plugin-dynamic/<this path>?agentId=<id>; the browser resolves the five
 * ".." segments, so the frame loads /plugin-dynamic/panel?agentId=<id>. The 1.7.2 server answers
 * plugin routes at the site root as well as under /api, and only /api is behind its API key
 * (ELIZA_SERVER_AUTH_TOKEN), which an iframe cannot send. The panel page holds no data; every JSON
 * route it calls checks the server's key itself (server-api-key.ts).
 */
export const PANEL_TAB_PATH = '/../../../../../plugin-dynamic/panel';

/** `prelude` goes before the file's text: the script starts with the operations it calls. */
const FILES: Record<string, { file: string; type: string; prelude?: () => string }> = {
  '/panel': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/panel/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8', prelude: panelOperationsScript },
  '/panel/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

function fileRoute(path: string, file: string, name?: string): Route {
  const entry = FILES[file];
  return {
    type: 'GET',
    path,
    public: true,
    ...(name ? { name } : {}),
    handler: async (_req, res: RouteResponse) => {
      const text = await readFile(join(PANEL_DIR, entry?.file ?? 'index.html'), 'utf8');
      const body = (entry?.prelude?.() ?? '') + text;
      res.setHeader?.('Content-Type', entry?.type ?? 'text/plain');
      res.setHeader?.('Cache-Control', 'no-cache');
      res.status(200).send(body);
    },
  };
}

/**
 * The panel's files, and the one public named GET route the web client lists as a tab of the agent
 * pane (the server lists a route as a panel when it is public, GET and named).
 */
export const panelRoutes: Route[] = [
  fileRoute(PANEL_TAB_PATH, '/panel', PANEL_NAME),
  fileRoute('/panel', '/panel'),
  fileRoute('/panel/app.js', '/panel/app.js'),
  fileRoute('/panel/style.css', '/panel/style.css'),
];

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Route, RouteResponse } from '@elizaos/core';

/** panel/ ships with the package, beside src/ and dist/. */
const PANEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'panel');

const FILES: Record<string, { file: string; type: string }> = {
  '/panel': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/panel/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/panel/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

function fileRoute(path: string, name?: string): Route {
  const entry = FILES[path];
  return {
    type: 'GET',
    path,
    public: true,
    ...(name ? { name } : {}),
    handler: async (_req, res: RouteResponse) => {
      const body = await readFile(join(PANEL_DIR, entry?.file ?? 'index.html'), 'utf8');
      res.setHeader?.('Content-Type', entry?.type ?? 'text/plain');
      res.setHeader?.('Cache-Control', 'no-cache');
      res.status(200).send(body);
    },
  };
}

/** The web client lists a public GET route with a name as a sidebar panel. */
export const panelRoutes: Route[] = [fileRoute('/panel', 'Plugins'), fileRoute('/panel/app.js'), fileRoute('/panel/style.css')];

import type { Route } from '@elizaos/core';
import { apiRoutes } from './api-routes.js';
import { panelRoutes } from './panel-routes.js';

/** Every HTTP route of the plugin: the JSON API and the web panel. */
export const pluginDynamicRoutes: Route[] = [...apiRoutes, ...panelRoutes];

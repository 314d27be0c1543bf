import type { Route } from '@elizaos/core';

/** HTTP routes of the plugin (filled in by the HTTP layer). */
export const pluginDynamicRoutes: Route[] = [];

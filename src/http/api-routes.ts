import type { Route } from '@elizaos/core';
import { OPERATIONS, type Operation } from '../operations/index.js';
import { operationRoute } from './operation-route.js';

/** The JSON API: one route per operation of the table. */
export const apiRoutes: Route[] = Object.values(OPERATIONS).map((op: Operation) => operationRoute(op));

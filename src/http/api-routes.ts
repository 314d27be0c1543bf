import type { Route } from '@elizaos/core';
import { API } from './api-contract.js';
import { jsonRoute } from './route-kit.js';

/** The JSON API: one route per endpoint of the contract, each one call into a service. */
export const apiRoutes: Route[] = [
  jsonRoute(API.search, (q, s) => s.management.search(q.q, { limit: q.limit, v1Only: q.all !== 'true' })),
  jsonRoute(API.info, (q, s) => s.management.registryInfo(q.name)),
  jsonRoute(API.list, async (_q, s) => s.management.list()),
  jsonRoute(API.install, (b, s) => s.management.install(b.source, { activate: b.activate })),
  jsonRoute(API.configure, (b, s) => s.management.configure(b.plugin, b.settings)),
  jsonRoute(API.activate, (b, s) => s.management.activate(b.plugin)),
  jsonRoute(API.deactivate, (b, s) => s.management.deactivate(b.plugin)),
  jsonRoute(API.unload, (b, s) => s.management.unload(b.plugin)),
  jsonRoute(API.isolation, (b, s) => s.management.setIsolation(b.plugin, b.mode)),
  jsonRoute(API.uninstall, (b, s) => s.management.uninstall(b.plugin)),
  jsonRoute(API.create, async (b, s) => {
    const opts = { ...(b.generator ? { generator: b.generator } : {}), ...(b.activate === undefined ? {} : { activate: b.activate }), ...(b.replace ? { replace: true } : {}) };
    if (b.description !== undefined) return s.creation.createFromDescription(b.description, opts);
    return { job: await s.creation.createFromSpec(b.specification, opts) };
  }),
  jsonRoute(API.jobs, async (_q, s) => s.creation.listJobs()),
  jsonRoute(API.job, async (q, s) => s.creation.getJob(q.id)),
  jsonRoute(API.cancel, (b, s) => s.creation.cancel(b.id)),
  jsonRoute(API.capabilities, async (_q, s) => s.creation.capabilities()),
];

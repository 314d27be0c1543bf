import { z } from 'zod';
import { FORWARDED_METHODS } from '../../../worker/plugin-host-forwarded.mjs';
import type { Json } from '../../../worker/plugin-host-protocol.d.mts';

/**
 * The whole surface between the agent and a plugin host, both directions in one place. The host
 * side is `worker/plugin-host.mjs`; the agent side is `plugin-host.ts` (calls into the host) and
 * `agent-bridge.ts` (answers the host). Every value crossing is JSON; the host is untrusted, so
 * everything it sends is validated here before the agent uses it.
 */

/** Both directions' functions live beside the worker, which is checked against them too. */
export type { AgentFunctions, HostFunctions, HostPluginGrant, Json, RouteAnswer } from '../../../worker/plugin-host-protocol.d.mts';

/**
 * Runtime calls the host forwards to the agent (the narrow runtime's forwarded part): one list for
 * both ends, kept beside the worker that runs unbuilt in the sandbox.
 */
export { FORWARDED_METHODS };
export type ForwardedMethod = (typeof FORWARDED_METHODS)[number];

const name = z.string().min(1).max(200);
const text = z.string().max(20_000);

/**
 * What a warm host is given at hand-off (the `handoff` frame), checked before it is sent; the host
 * checks it again by the same bounds. The character is the agent's copy without settings or secrets.
 */
export const HostPluginGrantSchema = z
  .object({
    entry: z.string().min(1).max(4_096),
    agentId: z.string().min(1).max(100),
    character: z.custom<Json>((value) => value !== undefined),
    settings: z.record(z.string().max(200), text).refine((values) => Object.keys(values).length <= 200, 'at most 200 settings'),
    egressSocket: z.string().min(1).max(107).optional(),
  })
  .strict();

/** A warm host's answer once it has loaded what every host needs. */
export const WarmAnswerSchema = z.object({ rssBytes: z.number().int().nonnegative() }).strict();

/** The plugin as the host describes it after importing it: what the agent registers stubs for. */
export const HostManifestSchema = z.object({
  name,
  description: text,
  actions: z
    .array(
      z.object({ name, description: text, similes: z.array(z.string().max(200)).max(100), examples: z.array(z.unknown()).max(100) }),
    )
    .max(200),
  providers: z
    .array(
      z.object({
        name,
        description: text.optional(),
        dynamic: z.boolean().optional(),
        position: z.number().optional(),
        private: z.boolean().optional(),
      }),
    )
    .max(200),
  evaluators: z
    .array(
      z.object({
        name,
        description: text,
        similes: z.array(z.string().max(200)).max(100),
        examples: z.array(z.unknown()).max(100),
        alwaysRun: z.boolean().optional(),
      }),
    )
    .max(100),
  services: z.array(z.object({ serviceType: name, capabilityDescription: text })).max(50),
  models: z.array(name).max(50),
  routes: z
    .array(
      z.object({
        index: z.number().int().min(0),
        type: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'STATIC']),
        path: z.string().min(1).max(500),
        public: z.boolean().optional(),
        name: z.string().max(200).optional(),
        isMultipart: z.boolean().optional(),
      }),
    )
    .max(100),
  events: z.array(name).max(100),
  hasInit: z.boolean(),
});
export type HostManifest = z.infer<typeof HostManifestSchema>;

/** What a plugin registered with runtime.register* while its init ran in the host (the answer to `init`). */
export const InitRegistrationsSchema = HostManifestSchema.pick({ actions: true, providers: true, evaluators: true, events: true });
export type InitRegistrations = z.infer<typeof InitRegistrationsSchema>;

export const ServiceStartAnswerSchema = z.object({
  methods: z.array(z.string().regex(/^[A-Za-z$][\w$]{0,100}$/)).max(200),
  capabilityDescription: text,
});

export const ProviderAnswerSchema = z.object({
  text: z.string().max(200_000).optional(),
  values: z.record(z.string(), z.unknown()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const ActionAnswerSchema = z
  .object({
    success: z.boolean().optional(),
    text: z.string().max(200_000).optional(),
    values: z.record(z.string(), z.unknown()).optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    error: z.unknown().optional(),
  })
  .nullable();

export const RouteAnswerSchema = z.object({
  status: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
  sent: z.boolean(),
});

export const CallbackContentSchema = z.record(z.string(), z.unknown());

import { z } from 'zod';
import { GENERATOR_CHOICES } from '../creation/generators/generator-kinds.js';
import { operation, withSignal } from './operation.js';
import { CapabilitiesSchema, CreateAnswerSchema, JobRecordSchema } from './records.js';

const jobId = z.string().trim().min(6).max(64);

/** Capability 2: creation jobs. */
export const creationOperations = {
  create: operation({
    method: 'POST',
    path: '/jobs',
    input: z
      .strictObject({
        specification: z.unknown().optional(),
        description: z.string().trim().min(1).max(2_000).optional(),
        generator: z.enum(GENERATOR_CHOICES).optional(),
        activate: z.boolean().optional(),
        replace: z.boolean().optional(),
      })
      .refine((b) => (b.specification === undefined) !== (b.description === undefined), { message: 'send either specification or description' }),
    output: CreateAnswerSchema,
    handler: async (s, b, signal) => {
      const opts = { ...(b.generator ? { generator: b.generator } : {}), ...(b.activate === undefined ? {} : { activate: b.activate }), ...(b.replace ? { replace: true } : {}) };
      if (b.description !== undefined) return s.creation.createFromDescription(b.description, { ...opts, ...withSignal(signal) });
      return { job: await s.creation.createFromSpec(b.specification, opts) };
    },
  }),
  jobs: operation({
    method: 'GET',
    path: '/jobs',
    input: undefined,
    output: z.array(JobRecordSchema),
    handler: async (s) => s.creation.listJobs(),
  }),
  job: operation({
    method: 'GET',
    path: '/jobs/status',
    input: z.object({ id: jobId }),
    output: JobRecordSchema,
    handler: async (s, q) => s.creation.getJob(q.id),
  }),
  cancel: operation({
    method: 'POST',
    path: '/jobs/cancel',
    input: z.strictObject({ id: jobId }),
    output: JobRecordSchema,
    handler: (s, b) => s.creation.cancel(b.id),
  }),
  capabilities: operation({
    method: 'GET',
    path: '/capabilities',
    input: undefined,
    output: CapabilitiesSchema,
    handler: async (s) => s.creation.capabilities(),
  }),
};

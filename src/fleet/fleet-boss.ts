import PgBoss from 'pg-boss';
import { BOSS_SCHEMA, schemaError } from './fleet-db.js';

/** The queue of creation jobs (data: the job id), and where pg-boss puts a job whose retries ran out. */
export const CREATE_QUEUE = 'plugin-dynamic-create';
export const DEAD_QUEUE = 'plugin-dynamic-create-dead';
/**
 * Jobs that need a language model (the model generator): only agents' worker lanes, which have the
 * agent's model, take them; a `plugin-dynamic worker` process has none and serves CREATE_QUEUE only.
 */
export const MODEL_QUEUE = 'plugin-dynamic-create-model';
export const JOB_QUEUES = [CREATE_QUEUE, MODEL_QUEUE] as const;

/** The queue of a job made with `generator`. */
export function queueFor(generator: string): string {
  return generator === 'model' ? MODEL_QUEUE : CREATE_QUEUE;
}

export interface BossOptions {
  url: string;
  /** How many times a job whose worker stopped is started again. */
  retryLimit: number;
  /** A job active longer than this is taken back by pg-boss (a backstop beside the job lock). */
  expireInSeconds: number;
  retentionDays: number;
  onError: (error: Error) => void;
}

export interface CreateJobData {
  jobId: string;
}

/**
 * pg-boss 10 on the fleet's database, its tables in their own schema, with the creation queue and its
 * dead-letter queue. A user who may not create the schema gets FLEET_SCHEMA_DENIED.
 */
/** PostgreSQL's "deadlock detected": two agents or workers creating pg-boss's queues at the same moment. */
function isDeadlock(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === '40P01' || (typeof e?.message === 'string' && e.message.includes('deadlock detected'));
}

/** Starts pg-boss and its queues; a start that lost a deadlock to another process's is tried again (3 tries). */
export async function startBoss(opts: BossOptions): Promise<PgBoss> {
  for (let attempt = 1; ; attempt++) {
    const boss = new PgBoss({
      connectionString: opts.url,
      schema: BOSS_SCHEMA,
      max: 4,
      application_name: 'plugin-dynamic:pg-boss',
      schedule: false,
      supervise: true,
      deleteAfterDays: opts.retentionDays,
    });
    boss.on('error', opts.onError);
    try {
      await boss.start();
      await boss.createQueue(DEAD_QUEUE, { name: DEAD_QUEUE, retentionMinutes: opts.retentionDays * 24 * 60 });
      for (const name of JOB_QUEUES) {
        await boss.createQueue(name, { name, retryLimit: opts.retryLimit, retryDelay: 0, expireInSeconds: opts.expireInSeconds, deadLetter: DEAD_QUEUE });
      }
      return boss;
    } catch (error) {
      await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
      if (isDeadlock(error) && attempt < 3) {
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt + Math.floor(Math.random() * 200)));
        continue;
      }
      throw schemaError(opts.url, BOSS_SCHEMA, error);
    }
  }
}

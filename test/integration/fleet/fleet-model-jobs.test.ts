import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginCreationService } from '../../../src/creation/plugin-creation-service.js';
import { CREATE_QUEUE, MODEL_QUEUE } from '../../../src/fleet/fleet-boss.js';
import { BOSS_SCHEMA, FLEET_SCHEMA, openFleetPool } from '../../../src/fleet/fleet-db.js';
import { pluginDynamic } from '../../../src/index.js';
import { PLUGIN_CREATION_SERVICE } from '../../../src/service-types.js';
import { startPostgres, type PrivateCluster } from '../../helpers/postgres.js';
import { createTestRuntime, type TestRuntime } from '../../helpers/runtime.js';

/**
 * plugin-dynamic worker processes have no language model: model-generator jobs go to a queue of
 * their own that only agents' worker lanes (with the agent's model) serve, and an agent with no lane
 * refuses such a job at once (FLEET_MODEL_REQUIRED) instead of queueing it for nobody.
 */

const spec = (name: string) => ({ name, description: `Notes of ${name}`, actions: [{ name: 'save_note', description: 'Save a note', parameters: { text: 'string' } }], providers: [] });

describe('model-generator jobs in the fleet', () => {
  let cluster: PrivateCluster;
  let pool: pg.Pool;
  let submitOnly: TestRuntime;
  let withLane: TestRuntime;

  const creation = async (t: TestRuntime) => (await t.runtime.getServiceLoadPromise(PLUGIN_CREATION_SERVICE)) as unknown as PluginCreationService;

  beforeAll(async () => {
    cluster = await startPostgres();
    submitOnly = await createTestRuntime({
      agentName: 'FleetModelSubmitOnly',
      plugins: [pluginDynamic],
      model: ['not a plugin'],
      settings: { POSTGRES_URL: cluster.url, PLUGIN_DYNAMIC_FLEET_WORKERS: '0' },
    });
    pool = await openFleetPool(cluster.url, 2);
  });

  afterAll(async () => {
    await submitOnly?.cleanup();
    await withLane?.cleanup();
    await pool?.end();
    await cluster?.stop();
  });

  it('an agent without a worker lane refuses a model job at once, and queues nothing', async () => {
    const service = await creation(submitOnly);
    await expect(service.createFromSpec(spec('plugin-model-refused'), { generator: 'model' })).rejects.toMatchObject({
      code: 'FLEET_MODEL_REQUIRED',
      message: expect.stringContaining('plugin-dynamic worker processes have no model'),
    });
    const rows = await pool.query(`SELECT 1 FROM ${FLEET_SCHEMA}.jobs WHERE record->>'pluginName' = 'plugin-model-refused'`);
    expect(rows.rowCount).toBe(0);
  });

  it('a template job goes to the queue every worker serves; a model job to the one only lanes with a model serve', async () => {
    const template = await (await creation(submitOnly)).createFromSpec(spec('plugin-model-template'), { generator: 'template' });
    withLane = await createTestRuntime({
      agentName: 'FleetModelLane',
      plugins: [pluginDynamic],
      model: ['not a plugin'],
      settings: { POSTGRES_URL: cluster.url, PLUGIN_DYNAMIC_FLEET_WORKERS: '1', PLUGIN_DYNAMIC_FLEET_SERVER_SLOTS: '1' },
    });
    const lane = await creation(withLane);
    const model = await lane.createFromSpec(spec('plugin-model-lane'), { generator: 'model' });
    const queueOf = async (id: string): Promise<string | undefined> => {
      for (let i = 0; i < 200; i++) {
        const { rows } = await pool.query<{ name: string }>(`SELECT b.name FROM ${FLEET_SCHEMA}.jobs f JOIN ${BOSS_SCHEMA}.job b ON b.id = f.boss_id WHERE f.id = $1`, [id]);
        if (rows[0]) return rows[0].name;
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    };
    expect(await queueOf(template.id)).toBe(CREATE_QUEUE);
    expect(await queueOf(model.id)).toBe(MODEL_QUEUE);
    await lane.cancel(model.id).catch(() => undefined);
    await (await creation(submitOnly)).cancel(template.id).catch(() => undefined);
  });
});

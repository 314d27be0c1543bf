import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { templateGenerator } from '../../../../src/creation/generators/template/index.js';
import { parsePluginSpec } from '../../../../src/creation/spec/index.js';
import { PermissionsSchema } from '../../../../src/management/permissions/plugin-permissions.js';

const everyday = parsePluginSpec(JSON.parse(readFileSync(new URL('../../../../examples/everyday.json', import.meta.url), 'utf8')));
const generate = (spec: typeof everyday) => templateGenerator.generate({ spec, iteration: 1, currentFiles: [], feedback: undefined });

describe("the template generator's permissions", () => {
  it('asks for the reminder tasks and for posting to rooms when the plugin schedules', async () => {
    const result = await generate(everyday);
    expect(result.permissions).toEqual({ taskWorkers: ['plugin_everyday_reminder'], postToRooms: true });
    // The name is the one the generated code gives its reminder tasks, in the permissions' own vocabulary.
    const info = result.files.find((f) => f.path === 'src/plugin-info.ts')?.content ?? '';
    expect(info).toContain('tag: "plugin_everyday_reminder"');
    expect(PermissionsSchema.parse(result.permissions)).toMatchObject(result.permissions ?? {});
    // The reminders post through core's send, to the room they were set in.
    const schedule = result.files.find((f) => f.path === 'src/schedule.ts')?.content ?? '';
    expect(schedule).toContain('runtime.sendMessageToTarget({ source: meta.source, roomId: task.roomId }, { text })');
  });

  it('asks for nothing more when nothing is scheduled', async () => {
    const notes = parsePluginSpec({ name: 'plugin-notes', description: 'Notes', actions: [{ name: 'addNote', description: 'Add a note', parameters: { text: 'string' } }] });
    const result = await generate(notes);
    expect(result.permissions).toBeUndefined();
    expect(result.files.some((f) => f.path === 'src/schedule.ts')).toBe(false);
  });
});

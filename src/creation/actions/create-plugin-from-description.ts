import { codedError } from '../../errors.js';
import { stringParam } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

export const createPluginFromDescriptionAction = serviceAction<PluginCreationService>({
  name: 'CREATE_PLUGIN_FROM_DESCRIPTION',
  similes: ['createPluginFromDescription', 'DESCRIBE_PLUGIN', 'MAKE_PLUGIN'],
  description:
    'Create a new plugin from a plain-language description, e.g. "a plugin that manages todo lists with add, remove and list".',
  serviceType: PLUGIN_CREATION_SERVICE,
  parameters: {
    description: { type: 'string', description: 'what the plugin should do, in plain language' },
    activate: { type: 'boolean', description: 'load the plugin once it is built (default true)' },
  },
  examples: [
    [
      { name: '{{user}}', content: { text: 'I need a plugin that helps manage todo lists with add, remove, and list functionality' } },
      { name: '{{agent}}', content: { text: 'Creating plugin-todo-list with actions addTodo, removeTodo, listTodos. Job id 5e6f7a8b.', actions: ['CREATE_PLUGIN_FROM_DESCRIPTION'] } },
    ],
  ],
  run: async ({ service, params, text, message }) => {
    const description = stringParam(params, 'description') ?? text;
    if (!description.trim()) {
      throw codedError('INVALID_INPUT', { input: 'The description', problem: 'is empty: what should the plugin do? Describe it in a sentence.' });
    }
    const { job, spec } = await service.createFromDescription(description, {
      requestedBy: message.entityId,
      ...(params['activate'] === false ? { activate: false } : {}),
    });
    const parts = [
      spec.actions.length ? `actions ${spec.actions.map((a) => a.identifier).join(', ')}` : '',
      spec.providers.length ? `providers ${spec.providers.map((p) => p.identifier).join(', ')}` : '',
      spec.environmentVariables.length ? `settings ${spec.environmentVariables.map((e) => e.name).join(', ')}` : '',
    ].filter(Boolean);
    return {
      text: `Creating ${spec.name} with ${parts.join('; ') || 'no components'}. Job id ${job.id.slice(0, 8)}; ask me for its status at any time.`,
      data: { jobId: job.id, specification: spec },
    };
  },
});

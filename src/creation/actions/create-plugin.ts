import { codedError } from '../../errors.js';
import { jsonInText } from '../../shared/eliza/action-input.js';
import { serviceAction } from '../../shared/eliza/service-action.js';
import type { PluginCreationService } from '../plugin-creation-service.js';
import { PLUGIN_CREATION_SERVICE } from '../../service-types.js';

export const createPluginAction = serviceAction<PluginCreationService>({
  name: 'CREATE_PLUGIN',
  similes: ['BUILD_PLUGIN', 'createPlugin', 'generatePlugin'],
  description:
    'Create a new plugin from a JSON specification: it is written, built, linted, tested and reviewed, then loaded.',
  serviceType: PLUGIN_CREATION_SERVICE,
  parameters: {
    specification: { type: 'object', description: 'the plugin specification (name, description, actions, providers, ...)' },
    activate: { type: 'boolean', description: 'load the plugin once it is built (default true)' },
    replace: {
      type: 'boolean',
      description: 'replace a plugin an earlier creation job made under the same name (it stays until the new one loads)',
    },
  },
  examples: [
    [
      { name: '{{user}}', content: { text: 'Create a plugin with this specification: {"name": "@elizaos/plugin-weather", "description": "Weather", "actions": [{"name": "getCurrentWeather", "description": "Weather for a city", "parameters": {"city": "string"}}]}' } },
      { name: '{{agent}}', content: { text: 'Plugin creation job started with id 1a2b3c4d.', actions: ['CREATE_PLUGIN'] } },
    ],
  ],
  run: async ({ service, params, text, message, askModel }) => {
    // A specification pasted in the message is the message's JSON itself.
    const spec = params['specification'] ?? jsonInText(text);
    if (!spec) {
      throw codedError('INVALID_INPUT', {
        input: 'The message',
        problem: 'holds no plugin specification: send it as JSON (name, description, actions, providers, ...), or describe the plugin in a sentence.',
      });
    }
    const job = await service.createFromSpec(spec, {
      requestedBy: message.entityId,
      ...(params['activate'] === false ? { activate: false } : {}),
      ...((await wantsReplace(params, text, askModel)) ? { replace: true } : {}),
    });
    return {
      text: `Plugin creation job started with id ${job.id.slice(0, 8)} for ${job.pluginName} (${job.generator} generator). Ask me for its status at any time.`,
      data: { jobId: job.id, pluginName: job.pluginName, generator: job.generator },
    };
  },
});

/**
 * Whether the request says to replace an earlier job's plugin: the declared parameter when a caller
 * gives it; otherwise the word "replace" in the words around the specification, confirmed by the
 * model when the agent has one (so "do not replace it" is not taken as yes).
 */
async function wantsReplace(
  params: Record<string, unknown>,
  text: string,
  askModel: (names: string[]) => Promise<Record<string, unknown>>,
): Promise<boolean> {
  if (typeof params['replace'] === 'boolean') return params['replace'];
  const words = text.replace(/```[\s\S]*?```/g, ' ').replace(/\{[\s\S]*\}/, ' ');
  if (!/\breplac(e|ing)\b/i.test(words)) return false;
  const answer = (await askModel(['replace']))['replace'];
  return typeof answer === 'boolean' ? answer : true;
}

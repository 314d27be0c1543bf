/**
 * What an isolated plugin's runtime offers, in words a code generator (template or model) can
 * quote. Generated plugins run isolated by default, so code written against the full
 * AgentRuntime fails there with HOST_UNSUPPORTED_METHOD naming the call.
 */
export const NARROW_RUNTIME_CONTRACT = `The plugin runs isolated, in a sandboxed process of its own. Its \`runtime\` argument is a narrow runtime that offers only:
- runtime.agentId and runtime.character (a copy with no secrets and no settings);
- runtime.logger (trace, debug, info, warn, error);
- runtime.getSetting(name): only the settings this plugin declares in agentConfig.pluginParameters, null otherwise;
- runtime.useModel(modelType, params) (bounded in time and in number of calls);
- runtime.getCache(key), runtime.setCache(key, value), runtime.deleteCache(key) (keys are private to the plugin);
- runtime.createMemory(memory, tableName, unique?), runtime.getMemories(params), runtime.getMemoryById(id), runtime.updateMemory(memory), runtime.deleteMemory(id);
- runtime.createTask(task), runtime.getTasks(params), runtime.getTask(id), runtime.updateTask(id, task), runtime.deleteTask(id), runtime.registerTaskWorker(worker), runtime.getTaskWorker(name);
- runtime.emitEvent(event, payload): the payload is core's EventPayload ({ runtime, source, ... }) with JSON values; the runtime is dropped on the way and listeners get the agent's;
- runtime.sendMessageToTarget(target, content): posts { text } to a room ({ source, roomId }) or an entity; only rooms and entities the plugin was invoked from or that its settings name, a few messages a minute;
- runtime.getService(serviceType) and runtime.hasService(serviceType) for this plugin's own services only (the real instance, in the same process).
Any other runtime method throws an error naming it. Every call crosses a process boundary: values passed and returned must be plain JSON data (no functions, class instances or cycles; a payload's \`runtime\` field is the one exception, dropped on the way). Each call has a time bound. There is no network unless the specification lists hosts (permissions.network); then only those hosts, on ports 443 and 80, over HTTP(S) with fetch or the http/https modules (they go through an egress proxy; raw sockets and every other host are refused). The file system is read-only except the current working folder (the plugin's private data folder, also HOME, which survives restarts) and a small private /tmp, and no environment variables of the agent are visible.`;

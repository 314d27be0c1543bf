/** The runtime calls an isolated plugin's host forwards to the agent (see plugin-host-forwarded.mjs). */
export const FORWARDED_METHODS: readonly [
  'useModel',
  'getCache',
  'setCache',
  'deleteCache',
  'createMemory',
  'getMemories',
  'getMemoryById',
  'updateMemory',
  'deleteMemory',
  'createTask',
  'getTasks',
  'getTask',
  'updateTask',
  'deleteTask',
  'emitEvent',
  'sendMessageToTarget',
];

// The runtime calls an isolated plugin's host forwards to the agent: the one list both ends read
// (the host builds its narrow runtime from it, the agent refuses any call not on it).
export const FORWARDED_METHODS = Object.freeze([
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
]);

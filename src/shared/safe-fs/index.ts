export { safeReadFile, type SafeReadOptions } from './safe-read.js';
export { safeDirectory, safeRemove, safeWriteFile } from './safe-write.js';

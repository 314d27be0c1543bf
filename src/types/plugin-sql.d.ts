// plugin-sql 1.7.2 ships types that its package.json "exports" does not point at.
declare module '@elizaos/plugin-sql' {
  import type { Plugin } from '@elizaos/core';
  const plugin: Plugin;
  export { plugin };
  export default plugin;
}

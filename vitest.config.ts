import { defineConfig } from 'vitest/config';

// Unit tests need no runtime; integration tests build a real AgentRuntime (one PGLite per file,
// so files run in separate forks); e2e tests drive whole jobs, the CLI and the browser.
export default defineConfig({
  test: {
    pool: 'forks',
    env: { LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});

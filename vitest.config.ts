import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // End-to-end tests spawn real MCP servers and the built binary; the machines have 2 cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The skip reporter repeats why tests were skipped (a missing tmux or Redis) after the summary.
    reporters: ['default', './test/helpers/skip-reporter.ts'],
  },
});

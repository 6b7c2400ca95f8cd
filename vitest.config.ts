import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{lab,devices,cloud-mock,scenarios,test}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end tests run the real CLI on real data; unit tests finish far inside this.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

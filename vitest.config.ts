import { configDefaults, defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Four projects, one command (`npm test`):
// - core: everything that runs in plain Node (main process services, the emulator, contract);
// - wordpress: the WordPress client against a real WordPress that its globalSetup starts once
//   per run (Debian's wordpress, php-cli, php-mysql, mariadb-server; see test/wordpress/);
// - renderer: React components in jsdom;
// - e2e: the browser edition driven by Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/salesforce-emulator/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/integration/wordpress/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'wordpress',
          environment: 'node',
          include: ['test/integration/wordpress/**/*.test.ts'],
          globalSetup: ['test/wordpress/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

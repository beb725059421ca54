import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests run jobs through @openfn/runtime, which needs vm.SourceTextModule.
    pool: 'forks',
    execArgv: ['--experimental-vm-modules', '--no-warnings'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
  },
});

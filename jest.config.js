/**
 * Unit specs beside the code (src/**\/*.spec.ts), repository checks (test/**\/*.spec.ts) and
 * end-to-end specs against real PostgreSQL (test/e2e).
 */
export default {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^#(platform|operational|analytical|collaborative)/(.*)\\.js$': '<rootDir>/src/$1/$2',
    '^#migrations/(.*)\\.js$': '<rootDir>/migrations/$1',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/test/**/*.spec.ts',
    '<rootDir>/test/**/*.e2e-spec.ts',
    '<rootDir>/test/reliability/**/*.reliability-spec.ts',
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Generous for slow shared CI hosts: every wait inside a test polls, so a pass costs no more.
  testTimeout: 180_000,
  maxWorkers: 2,
};

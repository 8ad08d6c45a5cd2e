/** Unit tests run on the TypeScript sources; e2e tests spawn the bundled dist/index.js. */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^@preview-actions/core/(.*)$': '<rootDir>/packages/core/src/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // @actions/workflow-parser imports its schemas as JSON without an import attribute; Jest warns (an error in
    // its next major), so these two imports get modules that read the same files.
    '^\\.\\./workflow-v1\\.0\\.min\\.json$': '<rootDir>/test/runner/jest/workflow-schema.ts',
    '^\\.\\./action-v1\\.0\\.min\\.json$': '<rootDir>/test/runner/jest/action-schema.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }] },
  testEnvironment: 'node',
  // Test-only: the AWS SDK's Node-version warning, once per test file on Node 20 (see the file).
  setupFiles: ['<rootDir>/test/setup/silence-sdk-node-warning.ts'],
};

export default {
  // Global, not per project: jest ignores testTimeout inside a project entry.
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/packages/*/src/**/*.test.ts',
        '<rootDir>/actions/*/src/**/*.test.ts',
        '<rootDir>/test/unit/**/*.test.ts',
      ],
    },
    {
      // The workflow runner's engine: small workflows run in-process (bash steps, no sandbox).
      ...shared,
      displayName: 'runner',
      testMatch: ['<rootDir>/test/runner/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};

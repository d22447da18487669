/** Jest runs TypeScript through ts-jest in transpile-only mode; `npm run typecheck` does the type checking. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/stacks',
    '<rootDir>/infra',
    '<rootDir>/charts',
    '<rootDir>/tools',
    '<rootDir>/services',
    '<rootDir>/test',
    '<rootDir>/bench',
  ],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/out/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^@platform/common$': '<rootDir>/services/common/src/index.ts',
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
  testSequencer: '<rootDir>/tools/jest/long-tests-first.js',
};

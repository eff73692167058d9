import type { Config } from 'jest';

// Sources are ESM TypeScript run natively by Node 24; Jest needs ts-jest in ESM mode and
// Node's --experimental-vm-modules (set by the npm scripts) to load ESM-only dependencies.
const transform: Config['transform'] = {
  '^.+\\.ts$': ['ts-jest', { useESM: true }],
};

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  testEnvironment: 'node',
} satisfies Config;

// CI systems that read JUnit set JEST_JUNIT_OUTPUT_DIR (jest-junit's own variable).
const junit: Config['reporters'] = process.env.JEST_JUNIT_OUTPUT_DIR ? ['jest-junit'] : [];

const config: Config = {
  reporters: ['default', '<rootDir>/test/summary-reporter.cjs', ...junit],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/harness/**/*.test.ts',
        '<rootDir>/images/**/*.test.ts',
        '<rootDir>/test/unit/**/*.test.ts',
      ],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: [
        '<rootDir>/harness/**/*.int.test.ts',
        '<rootDir>/images/**/*.int.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
      ],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      slowTestThreshold: 60,
    },
    {
      ...shared,
      displayName: 'scenarios',
      testMatch: ['<rootDir>/test/scenarios/**/*.test.ts'],
    },
  ],
};

export default config;

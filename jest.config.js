/** @type {import('jest').Config} */
const common = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  setupFiles: ["reflect-metadata"],
};

module.exports = {
  testTimeout: 30000,
  // Each test file owns its databases, so files may run in parallel on both cores.
  maxWorkers: 2,
  projects: [
    // The pure rules (test/unit/): no database, no build; `npm run test:unit` runs them alone.
    { ...common, displayName: "unit", roots: ["<rootDir>/test/unit"] },
    {
      ...common,
      displayName: "db",
      roots: ["<rootDir>/test"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/unit/"],
      // Builds dist/ when stale (child-process tests run it); drops the run's databases at the end.
      globalSetup: "<rootDir>/test/global-setup.ts",
      globalTeardown: "<rootDir>/test/global-teardown.ts",
    },
  ],
};

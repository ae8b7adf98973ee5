/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // aedes (the embedded broker) ships ES modules only; jest's CommonJS runtime needs them
    // rewritten, as Node itself loads them natively.
    '^.+/node_modules/aedes/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!aedes/)'],
  // Integration tests start private brokers; give them room on a 2-core machine.
  testTimeout: 30000,
  maxWorkers: 2,
};

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  // @kubernetes/client-node ships ESM only; let swc turn its generated models into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!@kubernetes/client-node/)'],
  testTimeout: 60000,
  // Every core: many suites wait on real servers and child processes, and jest's default leaves one core idle.
  maxWorkers: '100%',
};

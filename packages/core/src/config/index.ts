export * from './directories';
export * from './sync';
export * from './validate';
export { applyActiveDirectoryDefaults } from './adjust';
export { isLoopbackHost } from './fields';

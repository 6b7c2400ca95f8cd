export * from './clock.ts';
export * from './errors.ts';
export * from './paths.ts';
export * from './messages.ts';
export * from './signing.ts';
export * from './entitlements.ts';
export * from './device-request.ts';
export * from './error-table.ts';

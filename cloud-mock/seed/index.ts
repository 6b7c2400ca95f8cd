export * from './seed-format.ts';
export * from './apply-seed.ts';

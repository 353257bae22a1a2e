/** The reference engine's functions, under idiomatic TypeScript names. */
export * from './types.ts';
export * from './activations.ts';
export * from './forward.ts';
export * from './cost.ts';
export * from './backward.ts';
export * from './initialize.ts';
export * from './update.ts';
export * from './extras.ts';

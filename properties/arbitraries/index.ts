export * from './shapes.ts';
export * from './tensors.ts';

/**
 * @assetl2/sdk — isomorphic (Node and browsers). The SMT prover is a separate entry point,
 * `@assetl2/sdk/prover`, so that this core stays light.
 */
export * from './block/index.ts';
export * from './client/index.ts';
export * from './codec/index.ts';
export * from './curve/index.ts';
export * from './curvescript/index.ts';
export * from './errors/index.ts';
export * from './state/index.ts';
export * from './tx/index.ts';
export * from './vm/index.ts';

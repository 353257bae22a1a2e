// The WebAssembly module every kernel thread instantiates (kernels.wasm, built by `npm run build:wasm`): the matrix
// products of gemm.as.ts and the training's first-layer pass of first-layer.as.ts, over one shared memory.
export { axpyForm, scale } from './gemm.as';
export { firstLayerPass } from './first-layer.as';

/** Poolscope's DOM-free math: runs unchanged in Node, the browser and a Web Worker. */
export * from './errors';
export * from './tokens';
export * from './cloud';
export * from './linalg';
export * from './socm';
export * from './svd';
export * from './gram';
export * from './packed';
export * from './kernels';
export * from './pca';
export { socmNaive, covariance } from './naive';
export * from './pooling';

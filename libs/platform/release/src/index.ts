export * from './prometheus-text';
export * from './instance-signals';
export * from './confidence-check';
export * from './canary-release';
export * from './gateway-releases.client';
export * from './k8s-canary';

export * from './types';
export * from './rules';
export * from './engine';
export * from './format';

export * from './csv';
export * from './figures';
export * from './time-buckets';

import type { TestProject } from 'vitest/node';
import { startTestCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * globalSetup of the `postgres` vitest project: one throwaway cluster for the whole run (a
 * cluster per file would cost a second each); each hub gets a database of its own on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startTestCluster();
  project.provide('postgresUrl', cluster.url('postgres'));
  return () => cluster.stop();
}

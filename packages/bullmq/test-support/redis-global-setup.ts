import type { TestProject } from 'vitest/node';
import { startRedisServer } from './redis-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The port of the tests' private redis-server on 127.0.0.1. */
    redisPort: number;
  }
}

/** Starts one private redis-server for the package's tests and stops it after them. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedisServer();
  project.provide('redisPort', server.port);
  return () => server.stop();
}

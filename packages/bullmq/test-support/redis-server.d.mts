/** A running private redis-server. */
export interface RedisServer {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** Its process id. */
  readonly pid: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on a free loopback port, without persistence, and waits until it answers. */
export function startRedisServer(): Promise<RedisServer>;

// The Redis that every machine of the example shares: localhost:6379 unless REDIS_HOST or
// REDIS_PORT say otherwise.

/** BullMQ's connection options. */
export const connection = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
};

/** The queue the producer fills and the workers empty. */
export const queueName = 'prime-reports';

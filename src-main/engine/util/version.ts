// The Redis version we answer as. Clients and peers branch on it (redis-cli asks COMMAND DOCS only
// from 7.0 on, replicas pick their PSYNC dialect), so it is the version whose behaviour we match:
// Debian's redis-server 7.0.15, our reference peer.
export const REDIS_VERSION = '7.0.15';
export const ENGINE_NAME = 'replica-lab-server';

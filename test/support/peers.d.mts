// Types of peers.mjs (plain JavaScript, so that `npm test` can run it before anything is built).
export declare const REDIS_SERIES: string;
export declare function redisVersionOf(program: string): string | null;
export declare function ensurePeers(purpose?: 'test' | 'bench' | 'soak'): {
  redisServerVersion: string | null;
  redisCliVersion: string | null;
};
export declare class PeersMissing extends Error {}

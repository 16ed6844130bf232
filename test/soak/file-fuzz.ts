// The file fuzzer's soak run: `node --import tsx test/soak/file-fuzz.ts --seconds N [--seed S]`.
// Mutates real RDB files, AOF files, manifests and DUMP payloads for N seconds and prints one
// line of JSON: {seed, seconds, inputsTried, refused, accepted, crashes, hangs, failures}; exits
// with status 1 when anything crashed or hung (each failure carries its input as hex).
import { pathToFileURL } from 'node:url';
import { runFileFuzzSoak } from '../support/file-fuzz/soak.js';

export { runFileFuzzSoak } from '../support/file-fuzz/soak.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at === -1) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
  return value;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const report = await runFileFuzzSoak({ seconds: option('seconds', 60), seed: option('seed', Date.now() % 2 ** 31) });
  console.log(JSON.stringify(report));
  process.exit(report.crashes + report.hangs > 0 ? 1 : 0);
}

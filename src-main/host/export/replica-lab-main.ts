// The bundle entry of the `replica-lab` command (out/main/replica-lab.js); see export-cli.ts.
import { runReplicaLabCli } from './export-cli.js';

process.exitCode = await runReplicaLabCli(process.argv.slice(2));

// Browser mode: the lab host plus its HTTP/WebSocket server in this Node process. Run by
// browser-main.ts directly, and by the launcher when there is no Electron (or with --headless).
// Its stdout carries exactly one line, `UI: <url>`, for people and scripts to read; everything
// else goes to stderr.
import { bundlePaths } from './bundle-paths.js';
import { startBrowserServer } from '../transport/browser-server.js';
import { LabHost } from '../lab-host.js';
import { defaultBrowserDataDir, parseLabArgs } from './lab-args.js';

/** Starts the lab; returns once it serves. SIGINT/SIGTERM stop every node gracefully, then exit 0. */
export async function runBrowserMode(argv: readonly string[], mainDir: string): Promise<void> {
  let lab: LabHost | null = null;
  try {
    const args = parseLabArgs(argv, true);
    const dataDir = args.dataDir ?? defaultBrowserDataDir();
    const paths = bundlePaths(mainDir);
    lab = await LabHost.open({ dataDir, workerScript: paths.workerScript, offersDownloads: true });
    const server = await startBrowserServer({ lab, rendererDir: paths.rendererDir, port: args.httpPort, exportsDir: lab.exportsDir });
    process.stderr.write(`ReplicaLab: browser mode; lab data in ${dataDir}\n`);
    process.stdout.write(`UI: ${server.url}\n`);
    const openLab = lab;
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`ReplicaLab: ${signal}: stopping the nodes\n`);
      void server
        .close()
        .then(() => openLab.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`ReplicaLab: could not stop cleanly: ${String(error)}\n`);
            process.exit(1);
          },
        );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (error) {
    process.stderr.write(`ReplicaLab: ${error instanceof Error ? error.message : String(error)}\n`);
    await lab?.close();
    process.exit(1);
  }
}

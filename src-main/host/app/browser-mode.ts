// Browser mode: the lab host plus its HTTP/WebSocket server in this Node process. Run by
// browser-main.ts directly, and by the launcher when there is no Electron (or with --headless).
// Its stdout carries exactly one line, `UI: <url>`, for people and scripts to read; everything
// else goes to stderr. The URL stays the same for a data directory (the token is stored with the
// lab, and the port it last served on is tried first), so an open tab reconnects after a restart.
import { bundlePaths } from './bundle-paths.js';
import { startBrowserServer, type BrowserServer, type BrowserServerOptions } from '../transport/browser-server.js';
import { LabHost } from '../lab-host.js';
import { defaultBrowserDataDir, parseLabArgs } from './lab-args.js';

/** Starts the lab; returns once it serves. SIGINT/SIGTERM stop every node gracefully, then exit 0. */
export async function runBrowserMode(argv: readonly string[], mainDir: string): Promise<void> {
  let lab: LabHost | null = null;
  try {
    const args = parseLabArgs(argv, true);
    const dataDir = args.dataDir ?? defaultBrowserDataDir();
    const paths = bundlePaths(mainDir);
    lab = await LabHost.open({ dataDir, workerScript: paths.workerScript, offersDownloads: true, logRotation: args.logRotation });
    if (args.rotateToken) lab.access.rotate();
    const server = await serveOnStablePort(
      { lab, access: lab.access, rendererDir: paths.rendererDir, port: args.httpPort, exportsDir: lab.exportsDir },
      lab.access.lastHttpPort(),
    );
    lab.access.rememberHttpPort(server.port);
    const openLab = lab;
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`ReplicaLab: ${signal}: stopping the nodes\n`);
      // The lab first, while the tabs are still connected: they show its progress (closing pushes).
      void openLab
        .close()
        .then(() => server.close())
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
    // Printed only once the signals are handled: a script that reads the line and stops the lab at
    // once must get a graceful stop, not Node's default exit on SIGTERM.
    process.stderr.write(`ReplicaLab: browser mode; lab data in ${dataDir}\n`);
    process.stdout.write(`UI: ${server.url}\n`);
  } catch (error) {
    process.stderr.write(`ReplicaLab: ${error instanceof Error ? error.message : String(error)}\n`);
    await lab?.close();
    process.exit(1);
  }
}

/**
 * Without --http-port, the port the lab served on last time, so that open tabs find it again; if
 * another program has taken it meanwhile, any free port (those tabs then need the new UI line).
 */
async function serveOnStablePort(options: BrowserServerOptions, lastPort: number | null): Promise<BrowserServer> {
  if (options.port !== 0 || lastPort === null) return startBrowserServer(options);
  try {
    return await startBrowserServer({ ...options, port: lastPort });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stderr.write(`ReplicaLab: port ${lastPort} is taken now; serving on another one\n`);
    return startBrowserServer(options);
  }
}

// Each node's console as the user left it: what it printed (the last KEEP_LINES lines), the lines
// typed (recalled with the arrow keys), the prompt, and whether a command is running or a stream
// (SUBSCRIBE, MONITOR) is printing. The host holds the connection; this store holds what is shown.
import { defineStore } from 'pinia';
import { reactive } from 'vue';
import { lab } from '../api/lab-client.js';
import { useNoticesStore } from './notices.js';

/** Output is bounded: a MONITOR left running must not grow the page without end. */
export const KEEP_LINES = 2000;
const KEEP_HISTORY = 200;

export type ConsoleState = 'idle' | 'waiting' | 'streaming';

export interface NodeConsole {
  lines: string[];
  history: string[];
  prompt: string;
  state: ConsoleState;
}

export const useConsoleStore = defineStore('console', () => {
  const notices = useNoticesStore();
  const consoles = reactive(new Map<string, NodeConsole>());

  function of(nodeId: string, port: number): NodeConsole {
    let found = consoles.get(nodeId);
    if (!found) {
      consoles.set(nodeId, { lines: [], history: [], prompt: `127.0.0.1:${port}>`, state: 'idle' });
      found = consoles.get(nodeId)!;
    }
    return found;
  }

  function print(target: NodeConsole, lines: string[]): void {
    target.lines = target.lines.concat(lines).slice(-KEEP_LINES);
  }

  async function run(nodeId: string, port: number, line: string): Promise<void> {
    const target = of(nodeId, port);
    if (target.state !== 'idle') return;
    print(target, [`${target.prompt} ${line}`]);
    if (line.trim() !== '' && target.history[target.history.length - 1] !== line) {
      target.history = target.history.concat(line).slice(-KEEP_HISTORY);
    }
    if (/^\s*clear\s*$/i.test(line)) {
      // redis-cli clears the screen itself; it never reaches the server.
      target.lines = [];
      return;
    }
    target.state = 'waiting';
    try {
      const result = await lab.consoleRun(nodeId, line);
      print(target, result.lines);
      target.prompt = result.prompt;
      target.state = result.streaming ? 'streaming' : 'idle';
    } catch (error) {
      target.state = 'idle';
      notices.reportError('The console could not run that line', error);
    }
  }

  /** Cancels the running command or stops the stream (the host closes the console's connection). */
  async function cancel(nodeId: string): Promise<void> {
    try {
      await lab.consoleCancel(nodeId);
    } catch (error) {
      notices.reportError('Could not cancel', error);
    }
  }

  /** A `console` push: lines of a stream, or its end. */
  function streamed(nodeId: string, lines: string[], ended: boolean): void {
    const target = consoles.get(nodeId);
    if (!target) return;
    print(target, lines);
    if (ended && target.state === 'streaming') target.state = 'idle';
  }

  function clear(nodeId: string): void {
    const target = consoles.get(nodeId);
    if (target) target.lines = [];
  }

  return { consoles, of, run, cancel, streamed, clear };
});

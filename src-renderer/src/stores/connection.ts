// The link to the lab host, and the wiring that keeps every store in step with it: pushes are routed
// to the store they concern, and every (re)connection reloads what pushes alone cannot rebuild.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConnectionStatus } from '../api/connection-state.js';
import { onConnectionChange, onLabPush } from '../api/lab-client.js';
import { useConsoleStore } from './console.js';
import { closingProgress } from '../format/closing.js';
import { useEventsStore } from './events.js';
import { useHistoryStore } from './history.js';
import { useLagHistoryStore } from './lag-history.js';
import { useLoadStore } from './load.js';
import { useNodeLogStore } from './node-log.js';
import { useNodesStore } from './nodes.js';
import { useNoticesStore } from './notices.js';
import { useStreamViewStore } from './stream-view.js';

export const useConnectionStore = defineStore('connection', () => {
  const status = ref<ConnectionStatus>({ state: 'connecting', failedAttempts: 0 });
  let started = false;

  function start(): void {
    if (started) return;
    started = true;
    const nodes = useNodesStore();
    const events = useEventsStore();
    const nodeLog = useNodeLogStore();
    const notices = useNoticesStore();
    const lagHistory = useLagHistoryStore();
    const history = useHistoryStore();
    const consoles = useConsoleStore();
    const load = useLoadStore();
    const streamView = useStreamViewStore();

    onLabPush((push) => {
      if (push.type === 'nodes') {
        nodes.replaceAll(push.nodes);
        lagHistory.record(push.nodes);
      } else if (push.type === 'event') events.add(push.event);
      else if (push.type === 'log') nodeLog.addLine(push.nodeId, push.line);
      else if (push.type === 'history') history.add(push);
      else if (push.type === 'closing') {
        // The app is quitting: say what it is waiting for (a master may wait for its replicas).
        const text = closingProgress(push);
        notices.inform('Quitting: stopping the nodes', text);
        notices.announce(text);
      } else if (push.type === 'load') load.replaceAll(push.loads);
      else if (push.type === 'console') consoles.streamed(push.nodeId, push.lines, push.ended);
      else if (push.type === 'stream') streamView.received(push.replicaId, push.entries);
    });

    onConnectionChange((next) => {
      const previous = status.value.state;
      status.value = next;
      if (next.state === 'connected') {
        if (previous === 'reconnecting') notices.announce('Reconnected to the lab host.');
        void nodes.load();
        void events.load();
        void nodeLog.reload();
        void load.load();
        // The range from lab.db: on the first connection, and again after a reconnection, because
        // the samples written meanwhile came in no push.
        void history.load();
      } else if (previous === 'connected') {
        notices.announce('Disconnected from the lab host; reconnecting.');
      }
    });
  }

  return { status, start };
});

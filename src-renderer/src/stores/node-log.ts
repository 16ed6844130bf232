// The log of the one node whose details are open: its recent lines from the host, then live lines
// as the host pushes them.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { lab } from '../api/lab-client.js';
import { useNoticesStore } from './notices.js';

const KEEP_LINES = 2000;
const INITIAL_LINES = 500;

export const useNodeLogStore = defineStore('nodeLog', () => {
  const notices = useNoticesStore();
  const nodeId = ref<string | null>(null);
  const lines = ref<string[]>([]);
  const loading = ref(false);
  /** Lines pushed while the history request is in flight; merged once it answers. */
  let arrivedWhileLoading: string[] = [];

  async function show(id: string | null): Promise<void> {
    nodeId.value = id;
    lines.value = [];
    if (id === null) return;
    loading.value = true;
    arrivedWhileLoading = [];
    try {
      const history = await lab.nodeLog(id, INITIAL_LINES);
      if (nodeId.value !== id) return; // the user picked another node meanwhile
      // A pushed line may also be in the history's tail; Redis log lines carry a millisecond
      // timestamp, so an identical line in that tail is the same line.
      const tail = new Set(history.slice(-arrivedWhileLoading.length - 1));
      lines.value = [...history, ...arrivedWhileLoading.filter((line) => !tail.has(line))].slice(-KEEP_LINES);
    } catch (error) {
      notices.reportError('Could not load the node log', error);
    } finally {
      if (nodeId.value === id) loading.value = false;
    }
  }

  function addLine(id: string, line: string): void {
    if (id !== nodeId.value) return;
    if (loading.value) arrivedWhileLoading.push(line);
    else lines.value = [...lines.value, line].slice(-KEEP_LINES);
  }

  /** A tab of the details panel asked for from elsewhere (a link row's Stream button); the panel takes it. */
  const requestedTab = ref<string | null>(null);

  /** Opens the node's details on one tab. */
  function showTab(id: string, tab: string): Promise<void> {
    requestedTab.value = tab;
    return nodeId.value === id ? Promise.resolve() : show(id);
  }

  /** After a reconnect the pushes in between are lost; fetch the history again. */
  function reload(): Promise<void> {
    return show(nodeId.value);
  }

  return { nodeId, lines, loading, requestedTab, show, showTab, addLine, reload };
});

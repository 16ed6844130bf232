// The lab's nodes as the host last reported them, plus what this window is currently asking the
// host to do to each of them (so buttons can show progress and not be pressed twice).
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AddNodeOptions, NodeSummary } from '@api/nodes.js';
import type { SlowLinkLimits } from '@api/links.js';
import type { StaleStartWarning, StartAction } from '@api/replication.js';
import { lab } from '../api/lab-client.js';
import { nodeLabel, STATUS_TEXT } from '../format/node-labels.js';
import { useNoticesStore } from './notices.js';

export type NodeAction =
  | 'start'
  | 'stop'
  | 'restart'
  | 'remove'
  | 'link'
  | 'promote'
  | 'crash'
  | 'failover'
  | 'abort-failover'
  /** A fault applied to (or lifted from) the replica's link at its relay. */
  | 'link-fault';

export const useNodesStore = defineStore('nodes', () => {
  const notices = useNoticesStore();
  const nodes = ref<NodeSummary[]>([]);
  /** False until the first list arrives, so the UI can tell "loading" from "no nodes". */
  const loaded = ref(false);
  const pending = ref<Record<string, NodeAction>>({});
  const adding = ref(false);
  /** Set when a Start or Restart was held back because the node would come back with older data than its replicas. */
  const staleStart = ref<{ node: NodeSummary; action: StartAction; warning: StaleStartWarning } | null>(null);

  const runningCount = computed(() => nodes.value.filter((node) => node.status === 'running').length);

  function byId(id: string): NodeSummary | undefined {
    return nodes.value.find((node) => node.id === id);
  }

  /** Status changes arrive in pushes nobody asked for; say them out loud for screen-reader users. */
  function announceChanges(before: NodeSummary[], after: NodeSummary[]): void {
    const previous = new Map(before.map((node) => [node.id, node]));
    for (const node of after) {
      const old = previous.get(node.id);
      if (!old) notices.announce(`${nodeLabel(node)} added, ${STATUS_TEXT[node.status].toLowerCase()}.`);
      else if (old.status !== node.status) notices.announce(`${nodeLabel(node)} is now ${STATUS_TEXT[node.status].toLowerCase()}.`);
      previous.delete(node.id);
    }
    for (const gone of previous.values()) notices.announce(`${nodeLabel(gone)} removed.`);
  }

  /** Apply a full list from the host (a `nodes` push or listNodes). */
  function replaceAll(next: NodeSummary[]): void {
    if (loaded.value) announceChanges(nodes.value, next);
    nodes.value = next;
    loaded.value = true;
  }

  /** Apply one node returned by an action, ahead of the next push. */
  function upsert(node: NodeSummary): void {
    const index = nodes.value.findIndex((existing) => existing.id === node.id);
    const next = index === -1 ? [...nodes.value, node] : nodes.value.map((existing, i) => (i === index ? node : existing));
    replaceAll(next);
  }

  async function load(): Promise<void> {
    try {
      replaceAll(await lab.listNodes());
    } catch (error) {
      notices.reportError('Could not load the list of nodes', error);
    }
  }

  async function add(options: AddNodeOptions = {}): Promise<NodeSummary | null> {
    adding.value = true;
    try {
      const node = await lab.addNode(options);
      upsert(node);
      return node;
    } catch (error) {
      notices.reportError(options.port ? `Could not add a node on port ${options.port}` : 'Could not add a node', error);
      return null;
    } finally {
      adding.value = false;
    }
  }

  /** Runs one host call for a node, marking it pending meanwhile; `failure` titles the error toast. */
  async function act(node: NodeSummary, action: NodeAction, failure: string, call: () => Promise<void>): Promise<void> {
    if (pending.value[node.id]) return;
    pending.value = { ...pending.value, [node.id]: action };
    try {
      await call();
    } catch (error) {
      notices.reportError(failure, error);
    } finally {
      const { [node.id]: _done, ...rest } = pending.value;
      pending.value = rest;
    }
  }

  /**
   * Start or Restart, asking the host first whether the node would come back with older data than
   * its replicas hold; if so the action waits in `staleStart` for the user's choice. The check is
   * advice: if it cannot be made, the action goes ahead as asked.
   */
  function startChecked(node: NodeSummary, action: StartAction): Promise<void> {
    const verb = action === 'start' ? 'start' : 'restart';
    return act(node, action, `Could not ${verb} ${nodeLabel(node)}`, async () => {
      const warning = await lab.startWarning(node.id, action).catch(() => null);
      if (warning) staleStart.value = { node, action, warning };
      else upsert(await (action === 'start' ? lab.startNode(node.id) : lab.restartNode(node.id)));
    });
  }

  /** The user's answer to `staleStart`: go ahead anyway, promote the replica instead, or (null) neither. */
  function answerStaleStart(choice: 'anyway' | 'promote' | null): void {
    const held = staleStart.value;
    staleStart.value = null;
    if (!held || choice === null) return;
    const { node, action, warning } = held;
    if (choice === 'anyway') {
      void act(node, action, `Could not ${action} ${nodeLabel(node)}`, async () =>
        upsert(await (action === 'start' ? lab.startNode(node.id) : lab.restartNode(node.id))),
      );
    } else {
      void act(node, action, `Could not promote ${warning.promote.name} and start ${nodeLabel(node)} as its replica`, async () =>
        upsert(await lab.promoteInstead(node.id, warning.promote.id, action)),
      );
    }
  }

  return {
    nodes,
    loaded,
    pending,
    staleStart,
    answerStaleStart,
    adding,
    runningCount,
    byId,
    replaceAll,
    load,
    add,
    start: (node: NodeSummary) => startChecked(node, 'start'),
    stop: (node: NodeSummary) => act(node, 'stop', `Could not stop ${nodeLabel(node)}`, async () => upsert(await lab.stopNode(node.id))),
    restart: (node: NodeSummary) => startChecked(node, 'restart'),
    remove: (node: NodeSummary, deleteDir: boolean) =>
      act(node, 'remove', `Could not remove ${nodeLabel(node)}`, async () => {
        await lab.removeNode(node.id, { deleteDir });
        replaceAll(nodes.value.filter((existing) => existing.id !== node.id));
      }),
    replicateFrom: (node: NodeSummary, master: NodeSummary) =>
      act(node, 'link', `Could not make ${nodeLabel(node)} a replica of ${nodeLabel(master)}`, async () =>
        upsert(await lab.linkNode(node.id, master.id)),
      ),
    promote: (node: NodeSummary) =>
      act(node, 'promote', `Could not promote ${nodeLabel(node)} to master`, async () => upsert(await lab.linkNode(node.id, null))),
    /** Marked pending on the master: FAILOVER is its command, and it is the node whose state changes first. */
    failover: (master: NodeSummary, replica: NodeSummary) =>
      act(master, 'failover', `Could not fail ${nodeLabel(master)} over to ${nodeLabel(replica)}`, async () =>
        upsert(await lab.failover(master.id, replica.id)),
      ),
    abortFailover: (master: NodeSummary) =>
      act(master, 'abort-failover', `Could not abort the failover of ${nodeLabel(master)}`, async () =>
        upsert(await lab.abortFailover(master.id)),
      ),
    crash: (node: NodeSummary) =>
      act(node, 'crash', `Could not crash ${nodeLabel(node)}`, async () => upsert(await lab.crashNode(node.id))),
    /** Link faults, marked pending on the replica: the link is its own (one master each). */
    cutLink: (replica: NodeSummary) =>
      act(replica, 'link-fault', `Could not cut the link of ${nodeLabel(replica)}`, async () => upsert(await lab.cutLink(replica.id))),
    stallLink: (replica: NodeSummary) =>
      act(replica, 'link-fault', `Could not stall the link of ${nodeLabel(replica)}`, async () => upsert(await lab.stallLink(replica.id))),
    slowLink: (replica: NodeSummary, limits: SlowLinkLimits) =>
      act(replica, 'link-fault', `Could not slow the link of ${nodeLabel(replica)}`, async () =>
        upsert(await lab.slowLink(replica.id, limits)),
      ),
    restoreLink: (replica: NodeSummary) =>
      act(replica, 'link-fault', `Could not restore the link of ${nodeLabel(replica)}`, async () =>
        upsert(await lab.restoreLink(replica.id)),
      ),
  };
});

// What the lab itself just asked a node to do, so that a change the nodes then show can be told
// apart from one somebody else made (REPLICAOF or CONFIG SET typed into redis-cli, a client library,
// a FAILOVER sent by hand). Redis does not say who changed a role or a setting in INFO or CONFIG GET,
// and an external node's log is out of reach, so the lab remembers its own requests: a change seen
// within INTENT_WINDOW_MS of a lab request of the same kind to the same node is the lab's.
export type IntentKind = 'role' | 'config';

/** A request and the change it causes show within a few INFO polls; a FAILOVER can take its timeout (5 s by default). */
export const INTENT_WINDOW_MS = 15_000;

interface Intent {
  at: number;
  /** What the node should become ('master', 'replica'); undefined: any change of this kind. */
  outcome?: string;
}

export class LabIntents {
  private readonly recent = new Map<string, Intent>();

  /** The lab is about to send `node` something that changes its role (to `outcome`) or a setting. */
  expect(nodeId: string, kind: IntentKind, outcome?: string, now = Date.now()): void {
    this.recent.set(`${nodeId} ${kind}`, { at: now, outcome });
  }

  /**
   * Whether a change of this kind seen now on the node (to `outcome`) is the one the lab asked for.
   * A request explains one change: it is used up here, so a REPLICAOF typed right after the lab's
   * own is still seen as somebody else's.
   */
  claim(nodeId: string, kind: IntentKind, outcome?: string, now = Date.now()): boolean {
    const key = `${nodeId} ${kind}`;
    const intent = this.recent.get(key);
    if (!intent || now - intent.at > INTENT_WINDOW_MS) return false;
    if (intent.outcome !== undefined && outcome !== undefined && intent.outcome !== outcome) return false;
    this.recent.delete(key);
    return true;
  }

  /** Whether the lab asked for such a change lately and it has not shown yet (a failover in progress). */
  pending(nodeId: string, kind: IntentKind, now = Date.now()): boolean {
    const intent = this.recent.get(`${nodeId} ${kind}`);
    return intent !== undefined && now - intent.at <= INTENT_WINDOW_MS;
  }
}

/** The words an observed event ends with. */
export function causeText(byLab: boolean): string {
  return byLab ? 'by the lab' : 'not by the lab (redis-cli or another client)';
}

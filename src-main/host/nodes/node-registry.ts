// The lab's nodes by id, in creation order (Map keeps insertion order, which is the order the UI
// lists them in). Once the lab is closing, looking a node up fails, so no new operation starts.
import type { LabNode } from './lab-node.js';

export class NodeRegistry {
  private readonly nodes = new Map<string, LabNode>();
  private closing = false;

  get isClosing(): boolean {
    return this.closing;
  }

  /** From now on get() refuses: the lab is shutting its nodes down. */
  markClosing(): void {
    this.closing = true;
  }

  /** The node with this id; throws a message for people if there is none or the lab is closing. */
  get(id: string): LabNode {
    if (this.closing) throw new Error('the lab is closing');
    const node = this.nodes.get(id);
    if (!node) throw new Error(`there is no node with id ${JSON.stringify(id)}`);
    return node;
  }

  /** The node with this id if it still exists (no error: for links to nodes that may be gone). */
  find(id: string): LabNode | undefined {
    return this.nodes.get(id);
  }

  all(): LabNode[] {
    return [...this.nodes.values()];
  }

  add(node: LabNode): void {
    this.nodes.set(node.stored.id, node);
  }

  delete(id: string): void {
    this.nodes.delete(id);
  }
}

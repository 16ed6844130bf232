// Records what happened to a node: stored in lab.db (so the events list survives a restart) and
// pushed at once, in that order, so a push always carries the stored id and time.
import type { LabEventKind } from '../../api/index.js';
import type { EventStore } from '../store/event-store.js';
import type { StoredNode } from '../store/lab-store.js';
import type { LabPushes } from './lab-pushes.js';

export class EventRecorder {
  constructor(
    private readonly events: EventStore,
    private readonly pushes: LabPushes,
  ) {}

  record(node: Pick<StoredNode, 'id' | 'name'>, kind: LabEventKind, message: string): void {
    const event = this.events.add({ nodeId: node.id, nodeName: node.name, kind, message });
    this.pushes.emit({ type: 'event', event });
  }
}

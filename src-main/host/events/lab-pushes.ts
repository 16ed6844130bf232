// The host's push stream: everyone who listens (the Electron window, each browser-mode WebSocket)
// gets every push, in the order the host emits them.
import type { LabPush } from '../../api/index.js';

export class LabPushes {
  private readonly listeners = new Set<(push: LabPush) => void>();

  /** Returns the unsubscribe function. */
  subscribe(listener: (push: LabPush) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(push: LabPush): void {
    for (const listener of this.listeners) listener(push);
  }

  clear(): void {
    this.listeners.clear();
  }
}

/**
 * Runs async operations one after another. The host gives each node one queue so that start, stop
 * and remove clicks that arrive together act in order instead of racing over the same worker.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

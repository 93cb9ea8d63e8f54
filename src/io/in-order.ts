/**
 * Results handed on in input order, whatever order they finish in: `validate`'s worker threads
 * and `import`'s files in flight both report this way, so that output and exit codes never
 * depend on timing.
 */
export class InOrder<T> {
  private readonly ready = new Map<number, T>();
  private next = 0;

  constructor(private readonly emit: (value: T) => void) {}

  /** Result number `seq` (0, 1, 2, …) is done: emits it and every later one already waiting. */
  put(seq: number, value: T): void {
    this.ready.set(seq, value);
    for (let v = this.ready.get(this.next); v !== undefined; v = this.ready.get(this.next)) {
      this.ready.delete(this.next++);
      this.emit(v);
    }
  }

  /** How many results have been emitted. */
  get emitted(): number {
    return this.next;
  }
}

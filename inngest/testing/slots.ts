// Function concurrency limits as the test executor keeps them: a holder takes one slot under every
// key at once (a function may name several limits), or waits until all have room.

export interface SlotRequest {
  /** The function, the key expression and its value for this run. */
  key: string;
  limit: number;
}

export class ConcurrencySlots {
  private readonly held = new Map<string, number>();
  private waiters: (() => void)[] = [];

  /** Resolves with the release once a slot is free under every key; no keys, no wait. */
  async acquire(requests: SlotRequest[]): Promise<() => void> {
    while (!requests.every((r) => (this.held.get(r.key) ?? 0) < r.limit)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    for (const r of requests) this.held.set(r.key, (this.held.get(r.key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const r of requests) this.held.set(r.key, (this.held.get(r.key) ?? 1) - 1);
      // Every waiter checks again; whichever finds room first takes it, the others wait again.
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    };
  }
}

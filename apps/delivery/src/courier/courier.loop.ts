export interface CourierLoopOptions {
  /** How long to sleep when nothing is due and nobody woke the loop. */
  pollIntervalMs: number;
  /** Takes one due step; resolves false when nothing is due. */
  step: () => Promise<boolean>;
  /** Steps taken side by side; each claims its own row, so they never collide. */
  concurrency?: number;
  onError?: (err: unknown) => void;
}

/**
 * Runs due steps until none is left, then sleeps for the poll interval or
 * until woken. It keeps no timers per delivery: the database says what is
 * due, so a restart (or another instance) picks up exactly where it stopped.
 */
export class CourierLoop {
  private running = false;
  private woken = false;
  private loop?: Promise<void>;
  private interrupt?: () => void;

  constructor(private readonly options: CourierLoopOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something just became due (a delivery scheduled or dispatched): look now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.interrupt?.();
  }

  /** Resolves once the steps in flight have committed or rolled back; no step starts after this is called. */
  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
    this.loop = undefined;
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      // allSettled: stop() must not return while another worker is still mid-step.
      const workers = await Promise.allSettled(Array.from({ length: this.options.concurrency ?? 1 }, () => this.drain()));
      for (const w of workers) if (w.status === 'rejected') this.options.onError?.(w.reason);
      // A wake that arrived while draining may concern a row committed after our last claim.
      if (this.running && !this.woken) await this.sleep();
    }
  }

  private async drain(): Promise<void> {
    while (this.running && (await this.options.step())) {
      // keep going until nothing is due
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.interrupt = done;
    });
  }
}

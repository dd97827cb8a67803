export interface CourierLoopOptions {
  /** How long to sleep when nothing is due and nobody woke the loop. */
  pollIntervalMs: number;
  /** Takes one due step; resolves true when more may be due (it took a full batch), false when it is done. */
  step: () => Promise<boolean>;
  /**
   * Steps taken side by side at most; each claims its own rows, so they never collide. One worker starts, and
   * another joins each time a step says more is due, so a backlog gets them all and a trickle costs no empty claims.
   */
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
      await this.drain();
      // A wake that arrived while draining may concern a row committed after our last claim.
      if (this.running && !this.woken) await this.sleep();
    }
  }

  /** Resolves when every worker has finished; stop() must not return while one is still mid-step. */
  private drain(): Promise<void> {
    const limit = this.options.concurrency ?? 1;
    let active = 0;
    return new Promise((resolve) => {
      const work = async (): Promise<void> => {
        active++;
        try {
          while (this.running && (await this.options.step())) {
            // More is due: let another worker join while this one carries on.
            if (active < limit) void work();
          }
        } catch (err) {
          this.options.onError?.(err);
        } finally {
          if (--active === 0) resolve();
        }
      };
      void work();
    });
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

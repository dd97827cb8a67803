import { Controller, Get, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeHttpApp, createHttpApp } from './bootstrap';

/** Stands in for the database: unusable once its module is destroyed. */
@Injectable()
class Store implements OnModuleDestroy {
  open = true;
  entered?: () => void;
  release!: Promise<void>;

  onModuleDestroy(): void {
    this.open = false;
  }
}

@Controller()
class SlowController {
  constructor(private readonly store: Store) {}

  @Get('slow')
  async slow(): Promise<{ ok: boolean }> {
    this.store.entered?.();
    await this.store.release;
    if (!this.store.open) throw new Error('the database is closed');
    return { ok: true };
  }
}

@Module({ controllers: [SlowController], providers: [Store] })
class SlowModule {}

describe('graceful HTTP shutdown', () => {
  let app: NestFastifyApplication;
  let url: string;
  let store: Store;

  beforeEach(async () => {
    app = await createHttpApp(SlowModule, { name: 'shutdown-test', logLevel: 'silent' });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    store = app.get(Store);
  });

  afterEach(() => app.close().catch(() => undefined));

  it('finishes a request in flight before the modules (the database) close, and takes no new one', async () => {
    let release!: () => void;
    store.release = new Promise<void>((r) => (release = r));
    const entered = new Promise<void>((r) => (store.entered = r));
    const inFlight = fetch(`${url}/slow`).then(async (res) => ({ status: res.status, body: await res.json() }));
    await entered;

    const order: string[] = [];
    const started = Date.now();
    const closing = closeHttpApp(app, async () => {
      order.push(`beforeClose (store open: ${store.open})`);
    });
    await new Promise((r) => setTimeout(r, 100));
    const late = await fetch(`${url}/slow`).then(
      (res) => res.status,
      () => 'refused',
    );
    expect(store.open).toBe(true);
    release();

    expect(await inFlight).toEqual({ status: 200, body: { ok: true } });
    await closing;
    // The in-flight request's keep-alive connection is closed once it ends, not kept for its 65 s timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(late === 'refused' || late === 503).toBe(true);
    expect(order).toEqual(['beforeClose (store open: true)']);
    expect(store.open).toBe(false);
  });
});

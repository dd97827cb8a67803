import { Body, Controller, Get, Injectable, Module, OnModuleDestroy, OnModuleInit, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';
import { closeHttpApp, createHttpApp, initHttpApp } from './bootstrap';

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

/** Stands in for the database module: usable only once its init hook has run, which takes a while. */
@Injectable()
class SlowStore implements OnModuleInit {
  connected = false;

  async onModuleInit(): Promise<void> {
    await new Promise((r) => setTimeout(r, 200));
    this.connected = true;
  }
}

@Module({ providers: [SlowStore] })
class SlowStoreModule {}

describe('start-up order', () => {
  it('runs every init hook before the event consumers connect', async () => {
    const app = await createHttpApp(SlowStoreModule, { name: 'startup-test', logLevel: 'silent' });
    let seenByConsumers: boolean | undefined;
    try {
      await initHttpApp(app, async (a) => {
        seenByConsumers = a.get(SlowStore).connected;
      });
      expect(seenByConsumers).toBe(true);
    } finally {
      await app.close();
    }
  });
});

@Controller()
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body ?? null;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('bodies over the limit', () => {
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    app = await createHttpApp(EchoModule, { name: 'limit-test', logLevel: 'silent' });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app.close());

  /** 2 MiB sent in 64 KiB chunks with pauses: the answer comes while the client is still writing. */
  function slowBody(): ReadableStream<Uint8Array> {
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    return new ReadableStream({
      async pull(controller) {
        if (sent === 32) return controller.close();
        if (sent % 8 === 1) await new Promise((r) => setTimeout(r, 20));
        sent++;
        controller.enqueue(chunk);
      },
    });
  }

  it('answers 413 problem+json to a client still sending its 2 MiB body, which reads the answer (10 times)', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
        body: slowBody(),
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 413, detail: expect.stringContaining('1 MiB') });
    }
    const small = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await small.json()).toEqual({ a: 1 });
  });

  it('reads and drops the rest of a refused body, so the connection is neither reset nor lost for the next request', async () => {
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    const errors: string[] = [];
    socket.on('data', (d) => (received += d.toString()));
    socket.on('error', (err) => errors.push(err.message));
    await new Promise((r) => socket.once('connect', r));
    const size = 2 * 1024 * 1024;
    socket.write(`POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`);
    socket.write(Buffer.alloc(256 * 1024, 0x20));
    await new Promise((r) => setTimeout(r, 100)); // the 413 is on its way while the body is not half sent
    for (let sent = 256 * 1024; sent < size; sent += 256 * 1024) socket.write(Buffer.alloc(256 * 1024, 0x20));
    await new Promise((r) => setTimeout(r, 200));
    socket.write('POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n{"a":1}');
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    expect(errors).toEqual([]);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toMatch(/HTTP\/1\.1 201 [^]*\{"a":1\}$/);
  });
});

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, ConsoleMessage, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** What the browser reported as going wrong: console errors and uncaught page errors. */
export interface BrowserProblem {
  kind: 'console' | 'pageerror';
  text: string;
  url?: string;
}

/**
 * Debian's Chromium driven by playwright-core, with a fresh profile per run.
 * Every console error and page error is kept, for the test to assert on.
 */
export class StorefrontBrowser {
  readonly problems: BrowserProblem[] = [];
  private shots = 0;

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly profile: string,
    private readonly shotsDir: string,
  ) {}

  /** Fails (never skips) when the browser is not installed. */
  static requireChromium(): void {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the storefront's browser test needs Debian's chromium (npm test installs it through tools/infra/system-packages.ts)`);
    }
  }

  static async launch(shotsDir: string): Promise<StorefrontBrowser> {
    StorefrontBrowser.requireChromium();
    rmSync(shotsDir, { recursive: true, force: true });
    mkdirSync(shotsDir, { recursive: true });
    const profile = mkdtempSync(join(tmpdir(), 'storefront-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const browser = new StorefrontBrowser(context, page, profile, shotsDir);
    context.on('page', (p) => browser.watch(p));
    browser.watch(page);
    page.setDefaultTimeout(15_000);
    return browser;
  }

  private watch(page: Page): void {
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() === 'error') this.problems.push({ kind: 'console', text: msg.text(), url: msg.location().url });
    });
    page.on('pageerror', (err) => this.problems.push({ kind: 'pageerror', text: `${err.name}: ${err.message}` }));
  }

  /** A numbered full-page screenshot: .local/screenshots/storefront/NN-name.png. */
  async shot(name: string): Promise<void> {
    this.shots++;
    await this.page.screenshot({ path: join(this.shotsDir, `${String(this.shots).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/**
 * `npm run load`: storefront traffic through the gateway of the local stack
 * (`npm start`), with a live progress line and a summary per action.
 */
import { formatProgress, formatSummary } from './load-report';
import { LoadOptionsError, parseLoadOptions, USAGE } from './load-options';
import { runLoad } from './load-runner';

async function main(): Promise<number> {
  let options;
  try {
    options = parseLoadOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof LoadOptionsError) {
      process.stderr.write(`load: ${err.message} (see npm run load -- --help)\n`);
      return 2;
    }
    throw err;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const tty = process.stderr.isTTY;
  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nload: stopping (Ctrl-C again to quit at once)\n');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const say = (line: string) => process.stderr.write(`${tty ? '\r\x1b[2K' : ''}load: ${line}\n`);
  say(`${options.rate.toFixed(1)} actions/s for ${options.durationSeconds} s against ${options.target}`);
  const summary = await runLoad(options, {
    log: say,
    signal: abort.signal,
    progress: options.quiet ? undefined : (p) => process.stderr.write(tty ? `\r\x1b[2K${formatProgress(p)}` : `${formatProgress(p)}\n`),
  });
  if (tty && !options.quiet) process.stderr.write('\n');
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`load: ${(err as Error).message}\n`);
    process.exit(1);
  },
);

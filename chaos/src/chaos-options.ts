export interface ChaosCliOptions {
  scenarios: string[];
  orders: number;
  rate: number;
  downMs: number;
  settleTimeoutMs: number;
  seed: number;
  /** Keep a failed scenario's database and the broker's data for a post-mortem. */
  keep: boolean;
  list: boolean;
}

export const USAGE = `usage: npm run chaos -- [--scenario <name>]... [--orders N] [--rate R] [--down-ms MS] [--settle-timeout S] [--seed N] [--keep] [--list]
  --scenario        one scenario (repeatable); default: all
  --orders          orders per scenario (default 1000)
  --rate            orders per second through the gateway (default 50)
  --down-ms         how long a killed component stays down (default 3000)
  --settle-timeout  seconds to wait for the platform to settle (default 300)
  --seed            seed of the order mix (default 1)
  --keep            keep a failed scenario's database and the broker's data
  --list            list the scenarios and exit`;

function positive(name: string, raw: string | undefined, integer: boolean): number {
  const n = Number(raw);
  if (raw === undefined || raw.startsWith('--') || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} needs a positive ${integer ? 'integer' : 'number'}, got ${raw ?? 'nothing'}`);
  }
  return n;
}

/** Parses `npm run chaos` arguments; throws a one-line message on anything it does not understand. */
export function parseChaosArgs(argv: string[], known: string[]): ChaosCliOptions {
  const options: ChaosCliOptions = { scenarios: [], orders: 1_000, rate: 50, downMs: 3_000, settleTimeoutMs: 300_000, seed: 1, keep: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    switch (arg) {
      case '--scenario':
        if (!value || !known.includes(value)) throw new Error(`--scenario must be one of ${known.join(', ')}, got ${value ?? 'nothing'}`);
        if (!options.scenarios.includes(value)) options.scenarios.push(value);
        i++;
        break;
      case '--orders':
        options.orders = positive('orders', value, true);
        i++;
        break;
      case '--rate':
        options.rate = positive('rate', value, false);
        i++;
        break;
      case '--down-ms':
        options.downMs = positive('down-ms', value, true);
        i++;
        break;
      case '--settle-timeout':
        options.settleTimeoutMs = positive('settle-timeout', value, false) * 1000;
        i++;
        break;
      case '--seed':
        options.seed = positive('seed', value, true);
        i++;
        break;
      case '--keep':
        options.keep = true;
        break;
      case '--list':
        options.list = true;
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

import type { InvariantResult } from './invariants/invariants';
import type { LoadResult } from './order-load';
import type { SettleResult } from './settle';

export interface FaultRecord {
  target: string;
  /** Seconds into the load when it struck, and when the target was back. */
  struckAtS: number;
  backAtS: number;
  note?: string;
}

export interface ScenarioResult {
  scenario: { name: string; description: string };
  options: { orders: number; rate: number; downMs: number };
  /** Orders placed one at a time before the load (checked like the others). */
  warmUpOrders?: number;
  load?: LoadResult;
  faults: FaultRecord[];
  settle?: SettleResult;
  invariants: InvariantResult[];
  /** The run itself broke (a fault could not be injected, the platform would not start): a failure too. */
  error?: string;
}

/** Passed: the run went as planned, the platform settled, and every invariant holds. */
export function scenarioPassed(r: ScenarioResult): boolean {
  return !r.error && Boolean(r.settle?.settled) && r.invariants.length > 0 && r.invariants.every((i) => i.ok);
}

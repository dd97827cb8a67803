import type { ServiceName } from '@shop/shared/contracts';
import type { TestPlatform } from '@shop/testing';
import { SERVICES } from './bench-platform';

export interface StatementCount {
  statements: number;
  transactions: number;
}

export type CostByService = Record<ServiceName, StatementCount>;

/** Each service's statement and transaction counters (`db_statements_total`, `db_transactions_total` on /metrics). */
export async function readStatementCounts(platform: TestPlatform): Promise<CostByService> {
  const result = {} as CostByService;
  for (const service of SERVICES) {
    const text = await (await fetch(`${platform.url(service)}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)`, 'm').exec(text)?.[1] ?? Number.NaN);
    result[service] = { statements: value('db_statements_total'), transactions: value('db_transactions_total') };
  }
  return result;
}

/** What the services sent between two readings, per delivered order, per service and in total. */
export function costPerOrder(before: CostByService, after: CostByService, orders: number): Record<ServiceName | 'total', StatementCount> {
  const per = {} as Record<ServiceName | 'total', StatementCount>;
  const total = { statements: 0, transactions: 0 };
  for (const service of SERVICES) {
    const statements = (after[service].statements - before[service].statements) / orders;
    const transactions = (after[service].transactions - before[service].transactions) / orders;
    per[service] = { statements, transactions };
    total.statements += statements;
    total.transactions += transactions;
  }
  per.total = total;
  return per;
}

/**
 * What the messaging core needs of a database client: raw SQL inside a
 * transaction. Every service's generated Prisma client (and its transaction
 * client) fits, so the core stays free of any one schema's types.
 */
export interface SqlTx {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  $executeRawUnsafe(query: string, ...values: any[]): Promise<number>;
}

export interface TransactionRunner<Tx extends SqlTx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}

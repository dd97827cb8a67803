import type { operations } from '../../api/schema';

/** The services the admin routes name, from the generated contract (a new one is a type error here until listed). */
export type ServiceName = NonNullable<operations['getApiAdminDlq']['parameters']['query']>['service'];
export const SERVICES: readonly ServiceName[] = ['catalog', 'order', 'payment', 'delivery', 'review'] satisfies readonly ServiceName[];

/** The JSON body an operation answers with that status. */
export type Json<Op extends keyof operations, Status extends number> = operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer T } }>
  ? T
  : never;
export type Breakers = Json<'getApiAdminBreakers', 200>;
export type Breaker = Breakers[string];
export type MessagingStatus = Json<'getApiAdminMessaging', 200>;
export type DeadLetter = Json<'getApiAdminDlq', 200>['items'][number];
export type ReadModelName = operations['postApiAdminReadmodelsNameRebuild']['parameters']['path']['name'];

export const READ_MODELS: ReadonlyArray<{ name: ReadModelName; label: string; service: ServiceName }> = [
  { name: 'product-snapshots', label: "Order service's product snapshot", service: 'order' },
  { name: 'ratings', label: "Catalog's product ratings", service: 'catalog' },
];

export const BREAKER_LABELS: Record<Breaker['state'], string> = { closed: 'Closed', open: 'Open', halfOpen: 'Half-open' };

export type Release = Json<'getApiAdminReleases', 200>['releases'][number];
export type ReleaseReport = NonNullable<Release['report']>;

export const PHASE_LABELS: Record<ReleaseReport['phase'], string> = {
  judging: 'Judging the canary',
  promoting: 'Promoting',
  promoted: 'Promoted',
  'rolling-back': 'Rolling back',
  'rolled-back': 'Rolled back',
  failed: 'Failed',
};

/** The releases worth a card: one in progress (a canary set, or a report not ended), or the last one that ended. */
export function releasesToShow(releases: readonly Release[]): Release[] {
  return releases.filter((r) => r.canary !== null || r.report !== null);
}

/** Whether a release is still deciding (the console keeps an eye on those). */
export function releaseInProgress(release: Release): boolean {
  return release.canary !== null || ['judging', 'promoting', 'rolling-back'].includes(release.report?.phase ?? '');
}

/** "1 dead letter", "3 events". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Seconds as the console shows an age: "0 s", "12 s", "3 min", "2 h". */
export function age(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** A rebuild's counts as one line: "events 12, updated 3". */
export function describeCounts(counts: object): string {
  // The counts of an answer; other fields (an import's nextCursor) are not counts.
  const entries = Object.entries(counts).filter((entry): entry is [string, number] => typeof entry[1] === 'number');
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : 'nothing to report';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value.trim());
}

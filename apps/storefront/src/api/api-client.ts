import createClient, { type Middleware } from 'openapi-fetch';
import type { operations, paths } from './schema';

/** Named views of the contract, read from the generated types (never written by hand). */
type Json<Op extends keyof operations, Status extends number> = operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer T } }>
  ? T
  : never;

export type Product = Json<'getApiProductsId', 200>;
export type ProductPage = Json<'getApiProducts', 200>;
export type Order = Json<'getApiOrdersId', 200>;
export type OrderPage = Json<'getApiOrders', 200>;
export type OrderSummary = Json<'getApiOrdersIdSummary', 200>;
export type OrderStatus = Order['status'];
export type CancelReason = NonNullable<Order['cancelReason']>;
export type CancellationOutcome = NonNullable<Order['cancellation']>['outcome'];
export type Review = Json<'postApiProductsIdReviews', 201>;
export type ReviewPage = Json<'getApiProductsIdReviews', 200>;
export type WaitingRoomTicket = Json<'getApiWaitingroomTicketsId', 200>;
export type WaitingRoom = Json<'getApiAdminWaitingroom', 200>;
export type PlaceOrderBody = NonNullable<operations['postApiOrders']['requestBody']>['content']['application/json'];
export type ShippingAddress = PlaceOrderBody['shippingAddress'];
export type IssuedToken = Json<'postApiAuthToken', 200>;

/** RFC 9457 problem details, as every error of the contract is. */
export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
}

/** An error the API answered with; `problem.detail` is what the customer reads. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
    this.name = 'ApiError';
  }

  get status(): number {
    return this.problem.status;
  }
}

/** The answer's body as a problem, whatever the server sent (a proxy's HTML page, an empty body). */
export function toProblem(body: unknown, status: number, statusText = ''): Problem {
  if (body && typeof body === 'object' && typeof (body as Problem).detail === 'string' && (body as Problem).detail) {
    const problem = body as Problem;
    return { ...problem, status: typeof problem.status === 'number' ? problem.status : status };
  }
  const title = body && typeof body === 'object' && typeof (body as Problem).title === 'string' ? (body as Problem).title : statusText;
  return { status, title, detail: `The shop answered ${status}${title ? ` ${title}` : ''}; please try again.` };
}

export const UNREACHABLE: Problem = { status: 0, title: 'Network error', detail: 'The shop cannot be reached; check your connection and try again.' };

/** The typed client over the contract, plus what every call shares: the bearer token and 401 handling. */
export function createApi(session: { token(): string | null; expired(): void }) {
  const client = createClient<paths>({ baseUrl: '' });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = session.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      // A token the gateway no longer accepts (expired, secret rotated): sign the customer out.
      if (response.status === 401 && request.headers.has('authorization')) session.expired();
      return response;
    },
  };
  client.use(auth);
  return client;
}

export type ApiClient = ReturnType<typeof createApi>;

/** The data of a call, or an ApiError carrying the problem to show. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError(UNREACHABLE);
  }
  if (!result.response.ok) throw new ApiError(toProblem(result.error, result.response.status, result.response.statusText));
  return result.data as T;
}

/** An Idempotency-Key: random, printable ASCII. getRandomValues works on plain http too, unlike randomUUID. */
export function newIdempotencyKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  return `sf-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

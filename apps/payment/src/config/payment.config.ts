import { z } from 'zod';
import { loadConfig, needsTokenKey, poolCoversHandlers, serviceConfigShape } from '@shop/platform/config';

/** Every environment variable the payment service reads. */
export const paymentConfigSchema = z
  .object({
    ...serviceConfigShape({ port: 3003, schema: 'payments' }),
    /** How long a call to the payment provider may take; then it is retried (the order id is its idempotency key). */
    PAYMENT_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** FOR THE CANARY DEMONSTRATION ONLY (docs/releases.md): this percent of authorisations fail, as a faulty release's would. */
    PAYMENT_FAULTY_RELEASE_PERCENT: z.coerce.number().int().min(0).max(100).default(0),
  })
  .refine(needsTokenKey, { message: 'set JWT_SECRET or JWT_JWKS_URL', path: ['JWT_SECRET'] })
  .refine(...poolCoversHandlers());

export type PaymentConfig = z.infer<typeof paymentConfigSchema>;

export const loadPaymentConfig = (env: NodeJS.ProcessEnv = process.env): PaymentConfig => loadConfig(paymentConfigSchema, env);

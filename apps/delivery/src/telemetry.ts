// Imported first by main.ts: instrumentation must be in place before http, kafkajs or Prisma are loaded.
import { startTelemetry } from '@shop/platform/telemetry';

startTelemetry('delivery');

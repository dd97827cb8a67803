import { FloorRuntime } from './floor-runtime';
import { FLOOR_SERVICES, FloorService, STARTERS } from './floor-services';

/**
 * One service of the floor as a process: `node floor.main.js <service>`, with
 * DATABASE_URL, DATABASE_SCHEMA, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX and PORT.
 * Ends on SIGTERM after its consumers left their groups.
 */
(async () => {
  const service = process.argv[2] as FloorService;
  if (!(FLOOR_SERVICES as readonly string[]).includes(service)) throw new Error(`floor: unknown service ${service}`);
  const env = (name: string) => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`floor: ${name} is not set`);
    return value;
  };
  const rt = new FloorRuntime({
    service,
    databaseUrl: env('DATABASE_URL'),
    schema: env('DATABASE_SCHEMA'),
    brokers: env('KAFKA_BROKERS').split(','),
    prefix: env('KAFKA_TOPIC_PREFIX'),
  });
  await rt.start();
  await STARTERS[service](rt, Number(env('PORT')));
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    rt.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
})().catch((err: Error) => {
  process.stderr.write(`floor: ${err.message}\n`);
  process.exit(1);
});

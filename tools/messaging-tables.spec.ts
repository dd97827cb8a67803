/** The platform's messaging tables are in every service, as defined once (tools/messaging-tables.ts). */
import { services, sync } from './messaging-tables';

describe('messaging tables, defined once in the platform', () => {
  it('are carried unchanged by every service: the platform migrations and the Prisma models', () => {
    expect(services()).toEqual(expect.arrayContaining(['catalog', 'delivery', 'order', 'payment', 'review']));
    expect(sync({ write: false })).toEqual([]);
  });
});

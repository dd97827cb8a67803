import { createHash, randomUUID } from 'node:crypto';
import { inMemoryCatalog } from '../../../test/in-memory-catalog';
import { ChangePictureHandler } from './change-picture.handler';

/** The first bytes of a PNG are what makes it one; the rest is whatever the picture holds. */
const png = (body: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(body)]);

function setup() {
  const world = inMemoryCatalog();
  const handler = new ChangePictureHandler(world.unitOfWork.asUnitOfWork, world.products, world.queries, world.eventOptions);
  const id = world.products.stored({ id: randomUUID(), sku: 'KETTLE', name: 'Kettle', priceCents: 2500, currency: 'EUR', stock: 10 }).id;
  return { ...world, handler, id };
}

describe('ChangePictureHandler', () => {
  it('stores the picture with the product named by its sha256, and announces it', async () => {
    const { handler, id, products, unitOfWork } = setup();
    const bytes = png('kettle');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const view = await handler.execute(id, bytes, 'image/png');
    expect(view.picture).toEqual({ url: `/api/products/${id}/picture`, etag: sha256 });
    expect(products.pictures.get(id)).toMatchObject({ contentType: 'image/png', sha256 });
    expect(unitOfWork.envelopes[1].data).toMatchObject({ picture: { path: `/api/products/${id}/picture`, etag: sha256 }, productVersion: 2 });
  });

  it('changes nothing for the same picture again', async () => {
    const { handler, id, products, unitOfWork } = setup();
    await handler.execute(id, png('kettle'), 'image/png');
    await handler.execute(id, png('kettle'), 'image/png');
    expect(products.rows.get(id)?.version).toBe(2);
    expect(unitOfWork.published).toHaveLength(2);
  });

  it('refuses bytes that are not what they are sent as, before touching anything', async () => {
    const { handler, id, products, unitOfWork } = setup();
    await expect(handler.execute(id, png('kettle'), 'image/jpeg')).rejects.toMatchObject({ code: 'INVALID_PICTURE' });
    await expect(handler.execute(id, Buffer.from('<svg/>'), 'image/png')).rejects.toMatchObject({ code: 'INVALID_PICTURE' });
    await expect(handler.execute(randomUUID(), png('kettle'), 'image/png')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(products.pictures.size).toBe(0);
    expect(products.rows.get(id)?.version).toBe(1);
    expect(unitOfWork.published).toEqual([]);
  });
});

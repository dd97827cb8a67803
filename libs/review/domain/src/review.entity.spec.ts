import { ReviewEntity } from './review.entity';
import { ReviewError } from './review.errors';
import { ReviewGrant } from './review-grant.value';

const ORDER = 'order-1';
const KETTLE = 'product-kettle';
const MUG = 'product-mug';
const ALICE = 'alice';

const [kettleGrant] = ReviewGrant.forDeliveredOrder({ orderId: ORDER, customerId: ALICE, productIds: [KETTLE] });
const review = (over: Partial<Parameters<typeof ReviewEntity.write>[0]> = {}) => ({
  id: 'review-1',
  productId: KETTLE,
  orderId: ORDER,
  customerId: ALICE,
  rating: 4,
  ...over,
});
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ReviewError) return err.code;
    throw err;
  }
  return undefined;
};

describe('ReviewGrant', () => {
  it('grants one review per distinct product of a delivered order, none used yet', () => {
    const grants = ReviewGrant.forDeliveredOrder({ orderId: ORDER, customerId: ALICE, productIds: [KETTLE, MUG, KETTLE] });
    expect(grants.map((g) => g.props)).toEqual([
      { orderId: ORDER, customerId: ALICE, productId: KETTLE },
      { orderId: ORDER, customerId: ALICE, productId: MUG },
    ]);
    expect(grants.every((g) => !g.used)).toBe(true);
  });

  it('covers only its own customer, product and order', () => {
    const own = { customerId: ALICE, productId: KETTLE, orderId: ORDER };
    expect(kettleGrant.covers(own)).toBe(true);
    expect(kettleGrant.covers({ ...own, customerId: 'bob' })).toBe(false);
    expect(kettleGrant.covers({ ...own, productId: MUG })).toBe(false);
    expect(kettleGrant.covers({ ...own, orderId: 'order-2' })).toBe(false);
  });
});

describe('ReviewEntity.write', () => {
  it('writes a review against the author’s unused grant', () => {
    expect(ReviewEntity.write(review({ comment: 'Boils fast' }), kettleGrant).snapshot).toEqual({
      id: 'review-1',
      productId: KETTLE,
      orderId: ORDER,
      customerId: ALICE,
      rating: 4,
      comment: 'Boils fast',
    });
  });

  it('records that the review was created, at version 1, and hands the event out once', () => {
    const written = ReviewEntity.write(review(), kettleGrant);
    expect(written.pullEvents()).toEqual([{ type: 'created', version: 1 }]);
    expect(written.pullEvents()).toEqual([]);
  });

  it.each([1, 5])('accepts the boundary rating %p', (rating) => {
    expect(ReviewEntity.write(review({ rating }), kettleGrant).snapshot.rating).toBe(rating);
  });

  it('trims the comment and stores a blank or missing one as no comment', () => {
    expect(ReviewEntity.write(review({ comment: '  Solid  ' }), kettleGrant).snapshot.comment).toBe('Solid');
    expect(ReviewEntity.write(review({ comment: '   ' }), kettleGrant).snapshot.comment).toBeNull();
    expect(ReviewEntity.write(review({ comment: undefined }), kettleGrant).snapshot.comment).toBeNull();
    expect(ReviewEntity.write(review({ comment: null }), kettleGrant).snapshot.comment).toBeNull();
  });

  it('accepts a comment of exactly 2000 characters after trimming, and refuses 2001', () => {
    expect(ReviewEntity.write(review({ comment: ` ${'a'.repeat(2000)} ` }), kettleGrant).snapshot.comment).toHaveLength(2000);
    expect(() => ReviewEntity.write(review({ comment: 'a'.repeat(2001) }), kettleGrant)).toThrow(
      new ReviewError('INVALID_REVIEW', 'comment must be at most 2000 characters'),
    );
  });

  it.each([0, 6, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the rating %p as an invalid review', (rating) => {
    expect(() => ReviewEntity.write(review({ rating }), kettleGrant)).toThrow(
      new ReviewError('INVALID_REVIEW', 'rating must be an integer from 1 to 5'),
    );
  });

  it('names every invalid field at once', () => {
    expect(() => ReviewEntity.write(review({ rating: 9, comment: 'x'.repeat(2001) }), kettleGrant)).toThrow(
      'rating must be an integer from 1 to 5; comment must be at most 2000 characters',
    );
  });

  it('refuses a review with no grant (order not delivered, or unknown) as not reviewable', () => {
    expect(codeOf(() => ReviewEntity.write(review(), null))).toBe('NOT_REVIEWABLE');
  });

  it('refuses a review of someone else’s delivered order as not reviewable', () => {
    expect(codeOf(() => ReviewEntity.write(review({ customerId: 'bob' }), kettleGrant))).toBe('NOT_REVIEWABLE');
  });

  it('refuses a review of a product the order does not contain as not reviewable', () => {
    expect(codeOf(() => ReviewEntity.write(review({ productId: MUG }), kettleGrant))).toBe('NOT_REVIEWABLE');
  });

  it('refuses a review through another order’s grant as not reviewable', () => {
    expect(codeOf(() => ReviewEntity.write(review({ orderId: 'order-2' }), kettleGrant))).toBe('NOT_REVIEWABLE');
  });

  it('refuses a second review against a used grant as already reviewed', () => {
    const used = ReviewGrant.restore(kettleGrant.props, { used: true });
    expect(codeOf(() => ReviewEntity.write(review(), used))).toBe('ALREADY_REVIEWED');
  });

  it('says not reviewable, not already reviewed, to someone else even when the grant is used', () => {
    const used = ReviewGrant.restore(kettleGrant.props, { used: true });
    expect(codeOf(() => ReviewEntity.write(review({ customerId: 'bob' }), used))).toBe('NOT_REVIEWABLE');
  });

  it('reports invalid input before looking at the grant', () => {
    expect(codeOf(() => ReviewEntity.write(review({ rating: 0 }), null))).toBe('INVALID_REVIEW');
  });
});

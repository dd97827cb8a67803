import { Injectable } from '@nestjs/common';
import { ReviewEntity, ReviewError, ReviewGrant, ReviewRepository } from '@shop/review/domain';
import { statement, type Tx } from '@shop/platform/database';

const FIND_GRANT = statement(
  `select g.customer_id, exists (select 1 from reviews r where r.order_id = g.order_id and r.product_id = g.product_id) as used
     from review_grants g where g.order_id = $1 and g.product_id = $2`,
);

/** Reviews and their grants on the service's own SQL, inside the use case's unit of work. */
@Injectable()
export class PgReviewRepository extends ReviewRepository<Tx> {
  async grant(tx: Tx, orderId: string, productId: string): Promise<ReviewGrant | null> {
    const [row] = await tx.query<{ customer_id: string; used: boolean }>(FIND_GRANT, [orderId, productId]);
    return row ? ReviewGrant.restore({ customerId: row.customer_id, orderId, productId }, { used: row.used }) : null;
  }

  addGrants(tx: Tx, grants: ReviewGrant[]): void {
    if (grants.length === 0) return;
    tx.write({
      sql: `insert into review_grants (order_id, product_id, customer_id)
            select * from unnest($1::uuid[], $2::uuid[], $3::text[]) on conflict do nothing`,
      values: [grants.map((g) => g.props.orderId), grants.map((g) => g.props.productId), grants.map((g) => g.props.customerId)],
    });
  }

  add(tx: Tx, review: ReviewEntity): void {
    const r = review.snapshot;
    tx.write({
      sql: `insert into reviews (id, product_id, order_id, customer_id, rating, comment) values ($1, $2, $3, $4, $5, $6)
            on conflict (order_id, product_id) do nothing`,
      values: [r.id, r.productId, r.orderId, r.customerId, r.rating, r.comment],
      key: `review:${r.orderId}:${r.productId}`,
      // The unique (order_id, product_id) index decides between two racing requests; the loser is told plainly.
      expect: (n) => {
        if (n === 0) throw new ReviewError('ALREADY_REVIEWED', `product ${r.productId} was already reviewed for order ${r.orderId}`);
      },
    });
  }
}

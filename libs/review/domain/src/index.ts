export * from './review.entity';
export * from './review-grant.value';
export * from './review.errors';
export * from './review.repository';

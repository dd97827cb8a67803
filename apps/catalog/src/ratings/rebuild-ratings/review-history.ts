import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { readEventsToEnd } from '@shop/platform/messaging';
import { KAFKA, MESSAGING_OPTIONS, MessagingModuleOptions } from '@shop/platform/messaging-nest';
import { ReviewCreatedV1, Topics } from '@shop/shared/contracts';

/**
 * Every `review.created` the review topic holds, from its beginning to the
 * end it had when the read started: what the rating read model is rebuilt from.
 */
export abstract class ReviewHistory {
  /** Hands the reviews to `apply` batch by batch, the next once the last has resolved; answers how many records were read. */
  abstract read(apply: (reviews: ReviewCreatedV1[]) => Promise<void>): Promise<number>;
}

/** The review topic on the broker, through a throw-away consumer group (a malformed record is skipped: the live consumer dead-letters it). */
@Injectable()
export class KafkaReviewHistory extends ReviewHistory {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingModuleOptions,
  ) {
    super();
  }

  read(apply: (reviews: ReviewCreatedV1[]) => Promise<void>): Promise<number> {
    const topic = `${this.messaging.topicPrefix ?? ''}${Topics.reviewReviews}`;
    return readEventsToEnd<ReviewCreatedV1>(this.kafka, topic, 'review.created', apply);
  }
}

import { useState } from 'preact/hooks';
import { ApiError, type Review, unwrap } from '../../api/api-client';
import { api } from '../shop.api';
import { ProblemAlert } from './problem-alert.component';

interface Props {
  orderId: string;
  productId: string;
  productName: string;
  onReviewed(review: Review): void;
}

/** A review of one product of a delivered order: 1 to 5 stars and an optional comment. */
export function ReviewForm({ orderId, productId, productName, onReviewed }: Props) {
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [missingRating, setMissingRating] = useState(false);
  const ids = `review-${productId}`;

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    if (rating === null) {
      setMissingRating(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const review = await unwrap(
        api.POST('/api/products/{id}/reviews', {
          params: { path: { id: productId } },
          body: { orderId, rating, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        }),
      );
      onReviewed(review);
    } catch (err) {
      setError(err as ApiError);
      setBusy(false);
    }
  }

  return (
    <form class="card stack review-form" onSubmit={submit} aria-label={`Review ${productName}`}>
      <fieldset aria-describedby={missingRating ? `${ids}-missing` : undefined}>
        <legend>Your rating for {productName}</legend>
        <div class="star-choices">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} class="star-choice">
              <input
                type="radio"
                name={`${ids}-rating`}
                value={value}
                checked={rating === value}
                onChange={() => {
                  setRating(value);
                  setMissingRating(false);
                }}
              />
              {value} {value === 1 ? 'star' : 'stars'}
            </label>
          ))}
        </div>
        {missingRating ? (
          <p class="field-error" id={`${ids}-missing`}>
            Choose from 1 to 5 stars.
          </p>
        ) : null}
      </fieldset>
      <div class="field">
        <label for={`${ids}-comment`}>Comment (optional)</label>
        <textarea id={`${ids}-comment`} rows={3} maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      {error ? <ProblemAlert error={error} title="Your review was not saved" focus /> : null}
      <div>
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : `Submit review of ${productName}`}
        </button>
      </div>
    </form>
  );
}

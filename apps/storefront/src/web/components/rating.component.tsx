interface Props {
  average: number | null;
  count: number;
}

/** Stars for the eye, words for screen readers: "Rated 4.5 out of 5 from 2 reviews". */
export function Rating({ average, count }: Props) {
  if (!count || average === null) return <p class="rating rating-none" data-testid="rating">No reviews yet</p>;
  const rounded = Math.round(average);
  const label = `Rated ${average.toFixed(1)} out of 5 from ${count} review${count === 1 ? '' : 's'}`;
  return (
    <p class="rating" data-testid="rating">
      <span class="stars" aria-hidden="true">
        {'★'.repeat(rounded)}
        <span class="stars-empty">{'★'.repeat(5 - rounded)}</span>
      </span>
      <span class="visually-hidden">{label}</span>
      <span aria-hidden="true">
        {' '}
        {average.toFixed(1)} ({count})
      </span>
    </p>
  );
}

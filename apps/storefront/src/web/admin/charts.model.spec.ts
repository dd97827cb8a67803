import { alignSeries, type Chart } from './charts.model';

describe('alignSeries', () => {
  it("puts every series on the window's steps, with gaps where a series has no value", () => {
    const chart: Chart = {
      id: 'orders',
      title: 'Orders',
      unit: 'orders/s',
      series: [
        { name: 'placed', points: [[100, 1], [110, 2], [120, 3]] },
        { name: 'cancelled', points: [[110, 0.5], [115, 9], [120, Number.NaN]] },
      ],
    };
    expect(alignSeries(chart, 100, 120, 10)).toEqual([
      [100, 110, 120],
      [1, 2, 3],
      [null, 0.5, null],
    ]);
  });

  it('begins at the first data when the window begins long before it, and spans the whole window without data', () => {
    const chart: Chart = { id: 'lag', title: 'Lag', unit: 'records', series: [{ name: 'order', points: [[2_500, 3], [3_010, 4], [3_020, 5]] }] };
    const [xs, ys] = alignSeries(chart, 0, 3_020, 10);
    expect([xs[0], xs.at(-1), xs.length]).toEqual([2_500, 3_020, 53]);
    expect([ys[0], ys.at(-2), ys.at(-1)]).toEqual([3, 4, 5]);
    // One point: still ten steps wide.
    expect(alignSeries({ ...chart, series: [{ name: 'order', points: [[3_020, 5]] }] }, 0, 3_020, 10)[0]).toHaveLength(11);
    expect(alignSeries({ ...chart, series: [] }, 0, 30, 10)).toEqual([[0, 10, 20, 30]]);
  });
});

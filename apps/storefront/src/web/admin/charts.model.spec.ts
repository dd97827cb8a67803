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
});

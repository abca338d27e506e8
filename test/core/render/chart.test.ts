import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { formatAxisMoney, renderDailyChart } from '../../../src/core/render/chart.ts';

async function pixels(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    data: ctx.getImageData(0, 0, image.width, image.height).data,
  };
}

describe('renderDailyChart', () => {
  it('draws a PNG of the requested size, on white, with the bar colours', async () => {
    const labels = ['Oct 1', 'Oct 2', 'Oct 3'];
    const png = renderDailyChart({
      title: 'payments',
      labels,
      series: [
        { label: 'Kafka', values: ['100', '120.5', '90'] },
        { label: 'Connect', values: ['10', '10', '10'] },
      ],
      previous: { label: 'September', values: ['95', '95', '95'] },
      budgetPerDay: '130',
      width: 600,
      height: 300,
    });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const { width, height, data } = await pixels(png);
    expect([width, height]).toEqual([600, 300]);
    expect([...data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    let kafkaBlue = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i] === 0 && data[i + 1] === 0x72 && data[i + 2] === 0xb2) kafkaBlue++;
    expect(kafkaBlue).toBeGreaterThan(1000);
  });

  it('formats money on the axis', () => {
    expect(formatAxisMoney(0)).toBe('$0');
    expect(formatAxisMoney(0.5)).toBe('$0.50');
    expect(formatAxisMoney(350)).toBe('$350');
    expect(formatAxisMoney(1250)).toBe('$1.3k');
    expect(formatAxisMoney(2_000_000)).toBe('$2M');
  });
});

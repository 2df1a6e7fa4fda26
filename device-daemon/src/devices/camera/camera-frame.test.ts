import { describe, expect, it } from 'vitest';
import { CameraFrame } from './camera-frame';

describe('camera frame', () => {
  it('is wiped when the last holder releases it', () => {
    const frame = new CameraFrame(Buffer.from([1, 2, 3]), 1, 0);
    frame.retain();
    frame.release();
    expect(frame.jpeg).toEqual(Buffer.from([1, 2, 3]));
    frame.release();
    expect(frame.wiped).toBe(true);
    expect(frame.jpeg).toEqual(Buffer.from([0, 0, 0]));
    frame.release();
    expect(() => frame.retain()).toThrow(/wiped/);
  });
});

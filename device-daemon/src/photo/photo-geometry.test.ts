import { describe, expect, it } from 'vitest';
import { apply, invert, type Point } from '../face/image';
import type { FaceFindings } from './face-findings';
import { HEAD_PER_EYE_CHIN, insideCut, planCrop } from './photo-geometry';
import { PHOTO_SPECS } from './photo-spec';

/** A level face in a 640x480 still: eyes 60 px apart at y 200, chin 90 px below them. */
function face(move: (p: Point) => Point = (p) => p): FaceFindings {
  return {
    frame: { width: 640, height: 480 },
    rightEye: move({ x: 290, y: 200 }),
    leftEye: move({ x: 350, y: 200 }),
    chin: move({ x: 320, y: 290 }),
    rightEdge: move({ x: 255, y: 215 }),
    leftEdge: move({ x: 385, y: 215 }),
    yaw: 0,
    pitch: 0,
    eyeOpen: 0.3,
    brightness: 140,
    sharpness: 500,
    lightingImbalance: 0,
    otherFaces: [],
  };
}

const scaled = (k: number) => (p: Point): Point => ({ x: 320 + (p.x - 320) * k, y: 240 + (p.y - 240) * k });
const turned = (degrees: number) => (p: Point): Point => {
  const a = (degrees * Math.PI) / 180;
  const x = p.x - 320;
  const y = p.y - 240;
  return { x: 320 + x * Math.cos(a) - y * Math.sin(a), y: 240 + x * Math.sin(a) + y * Math.cos(a) };
};

/** Where a still position lands in the photo (continuous coordinates). */
const inPhoto = (plan: ReturnType<typeof planCrop>, p: Point): Point => apply(invert(plan.toStill), p);

describe('cutting the photo by face geometry', () => {
  it('puts the head at its share of the height, the hair top at its margin and the face in the middle', () => {
    for (const size of ['oneInch', 'twoInch', 'smallTwoInch'] as const) {
      const spec = PHOTO_SPECS[size];
      const plan = planCrop(face(), spec);
      expect(plan.issues).toEqual([]);
      const chin = inPhoto(plan, { x: 320, y: 290 });
      const eyes = inPhoto(plan, { x: 320, y: 200 });
      const headTop = chin.y - (HEAD_PER_EYE_CHIN * (chin.y - eyes.y));
      expect(headTop).toBeCloseTo(0.08 * spec.height, 6);
      expect((chin.y - headTop) / spec.height).toBeCloseTo(0.64, 6);
      expect(eyes.x).toBeCloseTo(spec.width / 2, 6);
    }
  });

  it('levels a tilted head', () => {
    const plan = planCrop(face(turned(12)), PHOTO_SPECS.twoInch);
    const right = inPhoto(plan, turned(12)({ x: 290, y: 200 }));
    const left = inPhoto(plan, turned(12)({ x: 350, y: 200 }));
    expect(right.y).toBeCloseTo(left.y, 6);
    expect((right.x + left.x) / 2).toBeCloseTo(PHOTO_SPECS.twoInch.width / 2, 6);
  });

  it('sizes the ID card photo by the face width of GA/T 461 and keeps the eyes 207 px above the bottom', () => {
    const plan = planCrop(face(), PHOTO_SPECS.idCard);
    const right = inPhoto(plan, { x: 255, y: 215 });
    const left = inPhoto(plan, { x: 385, y: 215 });
    expect(left.x - right.x).toBeCloseTo(207, 6);
    expect(441 - inPhoto(plan, { x: 320, y: 200 }).y).toBeGreaterThanOrEqual(207);
    expect(plan.issues).toEqual([]);
  });

  it('slides the cut back into the still for a face near its edge, and says the face is off the middle', () => {
    const plan = planCrop(face((p) => ({ x: p.x - 230, y: p.y })), PHOTO_SPECS.oneInch);
    expect(plan.issues).toEqual(['offCentre']);
    expect(inPhoto(plan, { x: 0, y: 240 }).x).toBeCloseTo(0, 6);
  });

  it('says the head is too large when the cut reaches past the still, and too small when it has too few pixels', () => {
    expect(planCrop(face(scaled(2.2)), PHOTO_SPECS.oneInch).issues).toContain('headTooLarge');
    expect(planCrop(face(scaled(0.3)), PHOTO_SPECS.twoInch).issues).toEqual(['headTooSmall']);
  });

  it('tells what the cut shows', () => {
    const plan = planCrop(face(), PHOTO_SPECS.oneInch);
    expect(insideCut(plan, PHOTO_SPECS.oneInch, { x: 320, y: 200 })).toBe(true);
    expect(insideCut(plan, PHOTO_SPECS.oneInch, { x: 600, y: 200 })).toBe(false);
  });
});

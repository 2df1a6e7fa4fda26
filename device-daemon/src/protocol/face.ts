// Face interface: the 1:1 check of a live face against a reference photo (the ID card's, or the
// platform's), after an active liveness challenge. Nothing biometric crosses the WebSocket: the UI
// gets prompts, challenges and the decision.
import * as z from 'zod/mini';

export const FACE_QUALITY_ISSUES = ['noFace', 'multipleFaces', 'tooSmall', 'tooClose', 'offCentre', 'headTurned', 'eyesClosed', 'tooDark', 'tooBright', 'blurred'] as const;
export type FaceQualityIssue = (typeof FACE_QUALITY_ISSUES)[number];

export const LIVENESS_CHALLENGES = ['turnLeft', 'turnRight', 'blink'] as const;
export type LivenessChallenge = (typeof LIVENESS_CHALLENGES)[number];

export const LIVENESS_FAILURES = ['timeout', 'tooFast', 'wrongOrder', 'faceLost', 'faceSwapped', 'multipleFaces', 'passiveCheckFailed'] as const;
export type LivenessFailure = (typeof LIVENESS_FAILURES)[number];

export const faceReferenceSchema = z.discriminatedUnion('kind', [
  /** The photo of an IdCard.Read, while that card is still on the reader. */
  z.strictObject({ kind: z.literal('card'), readId: z.string().check(z.maxLength(64)), device: z.optional(z.string()) }),
  /** The platform's identity photo of the holder of that card read (the card must still be there). */
  z.strictObject({ kind: z.literal('platform'), readId: z.string().check(z.maxLength(64)) }),
]);

export const faceVerifyPayloadSchema = z.strictObject({
  reference: faceReferenceSchema,
  /** The face camera by name; the first one with the face role when absent. */
  camera: z.optional(z.string()),
});

/** Where the face is, normalised to the frame (0-1), for on-screen guidance. */
const faceBoxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const facePromptEventSchema = z.object({
  /** "ok" while the face is good; else the first issue to speak. */
  prompt: z.union([z.literal('ok'), z.enum(FACE_QUALITY_ISSUES)]),
  face: z.optional(faceBoxSchema),
});

export const faceChallengeEventSchema = z.object({
  index: z.int(),
  count: z.int(),
  challenge: z.enum(LIVENESS_CHALLENGES),
  state: z.enum(['started', 'passed', 'failed']),
  reason: z.optional(z.enum(LIVENESS_FAILURES)),
});

const challengeResultSchema = z.object({ challenge: z.enum(LIVENESS_CHALLENGES), passed: z.boolean() });

export const faceVerifyCompletionSchema = z.object({
  /** Same person and live: the only field a journey should act on. */
  verified: z.boolean(),
  match: z.boolean(),
  /** Distance between the live face and the reference: lower is more alike. */
  score: z.number(),
  threshold: z.number(),
  liveness: z.object({
    passed: z.boolean(),
    challenges: z.array(challengeResultSchema),
    reason: z.optional(z.enum(LIVENESS_FAILURES)),
  }),
});
export type FaceVerifyCompletion = z.infer<typeof faceVerifyCompletionSchema>;

export const FACE_ERROR_CODES = ['noReference', 'referenceNoFace', 'referenceMultipleFaces', 'cameraNotReady', 'faceServiceUnavailable', 'positioningTimeout', 'cardRemoved', 'busy'] as const;
export type FaceErrorCode = (typeof FACE_ERROR_CODES)[number];

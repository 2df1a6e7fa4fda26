// The face pipeline over one picture: detect, landmarks, pose; and on request the aligned chip's
// descriptor. The three models run one picture at a time (the kiosk has two cores); the caller owns
// the picture and wipes it.
import type { ModelSessions } from './model-loader';
import { chipTransform } from './align';
import { DEFAULT_DETECTOR_OPTIONS, FaceDetector, type Detection, type DetectorOptions } from './detector';
import { EyeModel, type Eyes } from './eyes';
import { facePose, type FacePose } from './face-geometry';
import { pad, type Point, type RgbImage } from './image';
import { LandmarkModel, type FaceMesh } from './landmarks';
import { Recognizer } from './recognizer';

export interface AnalysedFace {
  readonly detection: Detection;
  readonly mesh: FaceMesh;
  /** Refined eyelids, when asked for. */
  readonly eyes?: Eyes | undefined;
  readonly pose: FacePose;
}

export interface Analysis {
  /** Faces measured (landmarks and pose), largest first. */
  readonly faces: readonly AnalysedFace[];
  /** Every detection, largest first, measured or not: enough to say "one person at a time". */
  readonly detections: readonly Detection[];
  /** The picture the faces were found in: the input, or the input padded for a tight crop. */
  readonly image: RgbImage;
  /** Where the input sits in `image` (non-zero when padded). */
  readonly offset: Point;
}

export interface AnalyseOptions {
  /** A tight crop (a card photo): look again on a padded canvas when the first look finds no face. */
  readonly tightCrop?: boolean;
  /** Landmarks for at most this many faces (the largest); the others are only counted. */
  readonly maxMeshes?: number;
  /** Refine the eyelids with the Iris model (blinks, closed eyes); on unless a caller needs no eyes. */
  readonly eyes?: boolean;
}

/** Landmark confidence under which a detection is not taken for a face. */
const MIN_MESH_SCORE = 0.5;
const TIGHT_CROP_PADDING = 2;

export class FaceAnalyzer {
  /** The models reuse their input buffers: one picture at a time, in call order. */
  #turn: Promise<unknown> = Promise.resolve();
  readonly detector: FaceDetector;
  readonly landmarks: LandmarkModel;
  readonly eyeModel: EyeModel;
  readonly recognizer: Recognizer;

  constructor(models: ModelSessions, detectorOptions: DetectorOptions = DEFAULT_DETECTOR_OPTIONS) {
    this.detector = new FaceDetector(models['blazeface-front'], detectorOptions);
    this.landmarks = new LandmarkModel(models.facemesh);
    this.eyeModel = new EyeModel(models.iris);
    this.recognizer = new Recognizer(models['dlib-resnet']);
  }

  analyse(image: RgbImage, options: AnalyseOptions = {}): Promise<Analysis> {
    return this.#exclusive(() => this.#analyseTight(image, options));
  }

  /** Detections only (no landmarks): enough to say whether and where there is a face. */
  detect(image: RgbImage): Promise<Detection[]> {
    return this.#exclusive(() => this.detector.detect(image));
  }

  /** The face's 128-d descriptor from its dlib chip (and the chip's mirror). */
  describe(image: RgbImage, face: AnalysedFace): Promise<Float32Array> {
    return this.#exclusive(() => this.recognizer.descriptor(image, chipTransform(face.mesh)));
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#turn.then(work, work);
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #analyseTight(image: RgbImage, options: AnalyseOptions): Promise<Analysis> {
    const eyes = options.eyes ?? true;
    const first = await this.#analyse(image, options.maxMeshes ?? 1, { x: 0, y: 0 }, eyes);
    if (first.faces.length > 0 || !options.tightCrop) return first;
    const padded = pad(image, TIGHT_CROP_PADDING);
    return this.#analyse(padded.image, options.maxMeshes ?? 1, padded.offset, eyes);
  }

  async #analyse(image: RgbImage, maxMeshes: number, offset: Point, withEyes: boolean): Promise<Analysis> {
    const detections = (await this.detector.detect(image)).sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    const faces: AnalysedFace[] = [];
    for (const detection of detections.slice(0, maxMeshes)) {
      const mesh = await this.landmarks.landmarks(image, detection);
      if (mesh.faceScore < MIN_MESH_SCORE) continue;
      const eyes = withEyes ? await this.eyeModel.eyes(image, mesh) : undefined;
      faces.push({ detection, mesh, eyes, pose: facePose(mesh, eyes) });
    }
    return { faces, detections, image, offset };
  }
}

export function faceCentre(face: AnalysedFace): Point {
  const { box } = face.detection;
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

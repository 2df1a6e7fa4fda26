// The live face camera with an oval to stand in, the detected face's box, the prompt in words and
// the challenge with a drawn arrow (never colour alone).
import type { DeviceStatus } from '@protocol';
import { useKiosk, useText } from '../../session/kiosk-context';
import type { ChallengeView, FaceBox, FacePrompt } from './identify-machine';
import { identifyStrings } from './identify-strings';

export function faceCameraName(devices: Readonly<Record<string, DeviceStatus>>): string | undefined {
  return Object.entries(devices).find(([, d]) => d.deviceClass === 'camera' && d.camera?.role === 'face')?.[0];
}

const ARROWS = { turnLeft: '⟵', turnRight: '⟶', blink: '◉' } as const;

export function FaceGuide({ prompt, face, challenge }: { prompt: FacePrompt; face: FaceBox | undefined; challenge: ChallengeView | undefined }) {
  const kiosk = useKiosk();
  const t = useText(identifyStrings);
  const camera = faceCameraName(kiosk.devices);
  return (
    <div class="face-guide">
      <div class="preview" data-face-prompt={prompt}>
        {camera ? <img class="preview-stream" src={kiosk.media(`/camera/${camera}/stream`)} alt={t('preview')} /> : null}
        <div class="preview-oval" aria-hidden="true" />
        {face ? (
          <div class="preview-face" aria-hidden="true" style={{ left: `${face.x * 100}%`, top: `${face.y * 100}%`, width: `${face.width * 100}%`, height: `${face.height * 100}%` }} />
        ) : null}
      </div>
      <p class="face-prompt" role="status" aria-live="polite">
        {challenge && challenge.state === 'started' ? (
          <span data-challenge={challenge.challenge} data-challenge-index={challenge.index}>
            <span class="challenge-arrow" aria-hidden="true">
              {ARROWS[challenge.challenge]}{' '}
            </span>
            {t(`challenge.${challenge.challenge}`)} · {t('challenge.step', { index: challenge.index + 1, count: challenge.count })}
          </span>
        ) : (
          <span>
            <span aria-hidden="true">{prompt === 'ok' ? '✓ ' : '! '}</span>
            {t(`prompt.${prompt}`)}
          </span>
        )}
      </p>
    </div>
  );
}

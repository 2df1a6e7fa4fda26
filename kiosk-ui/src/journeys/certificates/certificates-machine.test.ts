import { describe, expect, it } from 'vitest';
import { certificatesTransition, initialCertificates, type CertificatesEvent, type CertificatesState, type CertificateView } from './certificates-machine';

const social: CertificateView = { id: 'c1', kind: 'socialInsurance', title: { zh: '社保参保证明', en: 'Social insurance record' }, issuer: 'HRSS', issuedAt: '2026-11-01', pages: 1 };
const run = (events: CertificatesEvent[], from: CertificatesState = initialCertificates): CertificatesState => events.reduce(certificatesTransition, from);

describe('J3 certificates machine', () => {
  it('lists only after the identity check, previews and prints', () => {
    expect(run([{ type: 'listed', certificates: [social] }])).toEqual(initialCertificates);
    const printed = run([{ type: 'verified' }, { type: 'listed', certificates: [social] }, { type: 'choose', id: 'c1' }, { type: 'previewed', url: '/view/x' }, { type: 'print' }, { type: 'printed', jobId: 'j1', pages: 1 }]);
    expect(printed).toEqual({ kind: 'printed', chosen: social, jobId: 'j1', pages: 1 });
  });

  it('keeps the choice when the printer is not ready, so the resident can try again or go back', () => {
    const failed = run([{ type: 'verified' }, { type: 'listed', certificates: [social] }, { type: 'choose', id: 'c1' }, { type: 'previewed', url: undefined }, { type: 'print' }, { type: 'printFailed', problem: 'printerNotReady' }]);
    expect(failed).toMatchObject({ kind: 'printFailed', problem: 'printerNotReady', chosen: social });
    expect(certificatesTransition(failed, { type: 'retry' })).toMatchObject({ kind: 'printing', chosen: social });
    expect(certificatesTransition(failed, { type: 'back' })).toEqual({ kind: 'list', certificates: [social] });
  });

  it('retries a list the platform could not give, and ignores an unknown choice', () => {
    const down = run([{ type: 'verified' }, { type: 'listFailed', problem: 'platformUnavailable' }]);
    expect(certificatesTransition(down, { type: 'retry' })).toEqual({ kind: 'loading' });
    const list = run([{ type: 'verified' }, { type: 'listed', certificates: [social] }]);
    expect(certificatesTransition(list, { type: 'choose', id: 'nope' })).toBe(list);
  });
});

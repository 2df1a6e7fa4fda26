// J3 as a pure machine, after the identity check: the holder's certificates, a preview of one,
// printing it on A4, and what went wrong when it did.
export interface CertificateView {
  readonly id: string;
  readonly kind: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly issuer: string;
  readonly issuedAt: string;
  readonly pages: number;
}

export type ListProblem = 'platformUnavailable' | 'notVerified' | 'other';
export type PrintProblem = 'printerNotReady' | 'platformUnavailable' | 'other';

export type CertificatesState =
  | { readonly kind: 'identify' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'list'; readonly certificates: readonly CertificateView[] }
  | { readonly kind: 'listFailed'; readonly problem: ListProblem }
  | { readonly kind: 'previewing'; readonly certificates: readonly CertificateView[]; readonly chosen: CertificateView }
  | { readonly kind: 'preview'; readonly certificates: readonly CertificateView[]; readonly chosen: CertificateView; readonly url: string | undefined }
  | { readonly kind: 'printing'; readonly certificates: readonly CertificateView[]; readonly chosen: CertificateView }
  | { readonly kind: 'printed'; readonly chosen: CertificateView; readonly jobId: string; readonly pages: number }
  | { readonly kind: 'printFailed'; readonly certificates: readonly CertificateView[]; readonly chosen: CertificateView; readonly problem: PrintProblem };

export type CertificatesEvent =
  | { readonly type: 'verified' }
  | { readonly type: 'listed'; readonly certificates: readonly CertificateView[] }
  | { readonly type: 'listFailed'; readonly problem: ListProblem }
  | { readonly type: 'retry' }
  | { readonly type: 'choose'; readonly id: string }
  | { readonly type: 'previewed'; readonly url: string | undefined }
  | { readonly type: 'print' }
  | { readonly type: 'printed'; readonly jobId: string; readonly pages: number }
  | { readonly type: 'printFailed'; readonly problem: PrintProblem }
  | { readonly type: 'back' };

export const initialCertificates: CertificatesState = { kind: 'identify' };

export function certificatesTransition(state: CertificatesState, event: CertificatesEvent): CertificatesState {
  switch (event.type) {
    case 'verified':
      return state.kind === 'identify' ? { kind: 'loading' } : state;
    case 'listed':
      return state.kind === 'loading' ? { kind: 'list', certificates: event.certificates } : state;
    case 'listFailed':
      return state.kind === 'loading' ? { kind: 'listFailed', problem: event.problem } : state;
    case 'retry':
      if (state.kind === 'listFailed') return { kind: 'loading' };
      if (state.kind === 'printFailed') return { kind: 'printing', certificates: state.certificates, chosen: state.chosen };
      return state;
    case 'choose': {
      if (state.kind !== 'list') return state;
      const chosen = state.certificates.find((c) => c.id === event.id);
      return chosen ? { kind: 'previewing', certificates: state.certificates, chosen } : state;
    }
    case 'previewed':
      // A preview that could not be made still lets the resident print: the title says what it is.
      return state.kind === 'previewing' ? { kind: 'preview', certificates: state.certificates, chosen: state.chosen, url: event.url } : state;
    case 'print':
      return state.kind === 'preview' ? { kind: 'printing', certificates: state.certificates, chosen: state.chosen } : state;
    case 'printed':
      return state.kind === 'printing' ? { kind: 'printed', chosen: state.chosen, jobId: event.jobId, pages: event.pages } : state;
    case 'printFailed':
      return state.kind === 'printing' ? { kind: 'printFailed', certificates: state.certificates, chosen: state.chosen, problem: event.problem } : state;
    case 'back':
      if (state.kind === 'preview' || state.kind === 'printFailed') return { kind: 'list', certificates: state.certificates };
      return state;
  }
}

// Each journey's screens load when first opened (Vite splits every import() into its own chunk).
import type { ComponentType } from 'preact';
import type { JourneyId } from './catalogue';

export const JOURNEY_LOADERS: Readonly<Record<JourneyId, () => Promise<ComponentType>>> = {
  J1: () => import('./identify/identify-journey').then((m) => m.IdentifyJourney),
  J2: () => import('./photo/photo-journey').then((m) => m.PhotoJourney),
  J3: () => import('./certificates/certificates-journey').then((m) => m.CertificatesJourney),
  J4: () => import('./bills/bills-journey').then((m) => m.BillsJourney),
  J5: () => import('./apply/apply-journey').then((m) => m.ApplyJourney),
  J6: () => import('./track/track-journey').then((m) => m.TrackJourney),
  J7: () => import('./rate/rate-journey').then((m) => m.RateJourney),
  J8: () => import('./help/help-journey').then((m) => m.HelpJourney),
};

export const loadRating = (): Promise<ComponentType> => import('./rate/rate-journey').then((m) => m.RateAfterService);
export const loadTechnician = (): Promise<ComponentType> => import('../technician/technician-mode').then((m) => m.TechnicianMode);

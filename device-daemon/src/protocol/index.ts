// The one daemon module the kiosk UI may import.
export * from './envelope';
export * from './common';
export * from './printer';
export * from './id-card';
export * from './camera';
export * from './scanner';
export * from './face';
export * from './platform';
export * from './payment';
export * from './kiosk';
export * from './photo';
export * from './technician';
export * from './messages';

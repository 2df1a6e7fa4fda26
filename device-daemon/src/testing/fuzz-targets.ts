// Every fuzz target of a parser of outside bytes, for the long run (scripts/fuzz.mjs).
import { gatewayNotificationTarget } from '../backends/payments/gateway-notification.fuzz';
import { jsonClientTarget } from '../backends/http/json-client.fuzz';
import { signatureTarget } from '../backends/http/signature.fuzz';
import { loadConfigTarget } from '../config/load-config.fuzz';
import { hidKeyboardTarget } from '../devices/barcode/hid-keyboard.fuzz';
import { jpegSplitterTarget } from '../devices/camera/jpeg-splitter.fuzz';
import { cupsCommandsTarget } from '../devices/document-printer/cups-commands.fuzz';
import { cardTextTarget } from '../devices/id-card-reader/card-text.fuzz';
import { hidFramingTarget } from '../devices/id-card-reader/hid-framing.fuzz';
import { samFrameTarget } from '../devices/id-card-reader/sam-frame.fuzz';
import { samResponseTarget } from '../devices/id-card-reader/sam-response.fuzz';
import { escposRepliesTarget } from '../devices/receipt-printer/escpos-replies.fuzz';
import { clientSessionTarget } from '../server/client-session.fuzz';
import { fuzzEntry, type FuzzEntry } from './fuzz-harness';

export const FUZZ_TARGETS: readonly FuzzEntry[] = [
  fuzzEntry(samFrameTarget),
  fuzzEntry(samResponseTarget),
  fuzzEntry(cardTextTarget),
  fuzzEntry(hidFramingTarget),
  fuzzEntry(escposRepliesTarget),
  fuzzEntry(hidKeyboardTarget),
  fuzzEntry(jpegSplitterTarget),
  fuzzEntry(cupsCommandsTarget),
  fuzzEntry(clientSessionTarget),
  fuzzEntry(loadConfigTarget),
  fuzzEntry(jsonClientTarget),
  fuzzEntry(signatureTarget),
  fuzzEntry(gatewayNotificationTarget),
];

// Runs a whole ESC/POS job through the virtual printer's mechanism, without a transport: for
// kioskctl print, previews and tests.
import { nextToken } from './escpos-stream-parser';
import { PaperRenderer } from './paper-render';
import { lineText } from './paper';
import { PrinterModel } from './printer-model';

export function printToModel(bytes: Uint8Array, model = new PrinterModel()): PrinterModel {
  let at = 0;
  while (at < bytes.length) {
    const step = nextToken(bytes, at);
    if (step.consumed === 0 || !step.token) break;
    model.execute(step.token);
    at += step.consumed;
  }
  return model;
}

export interface PrintedJob {
  readonly png: Buffer;
  /** Text lines of the job, in order. */
  readonly lines: readonly string[];
  readonly cuts: number;
  readonly unknownCommands: number;
}

/** Prints a job onto fresh paper and renders all of it. */
export async function printJob(bytes: Uint8Array, renderer = new PaperRenderer()): Promise<PrintedJob> {
  const model = printToModel(bytes);
  const blocks = model.paper.blocks;
  return {
    png: await renderer.renderPng(blocks),
    lines: blocks.flatMap((b) => (b.kind === 'text' ? [lineText(b)] : [])),
    cuts: model.paper.cuts,
    unknownCommands: model.unknownCommands,
  };
}

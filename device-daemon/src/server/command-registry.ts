// Command handlers, one per catalogue entry. A handler sees a validated payload and a signal that
// aborts on Common.Cancel, on the command's timeout, and when the client goes away.
import type { CommandName, CommandPayload, CompletionCode, CompletionPayload } from '../protocol';

export type FailureCode = Exclude<CompletionCode, 'success' | 'commandErrorCode'>;

export type Failure =
  /** errorCode, when present, names the cause more closely than the completion code (payload.errorCode). */
  | { readonly completionCode: FailureCode; readonly errorDescription: string; readonly errorCode?: string; readonly details?: Record<string, unknown> }
  /** A command-specific error: payload.errorCode carries it (e.g. "paperOut"), details what else the client needs. */
  | { readonly completionCode: 'commandErrorCode'; readonly errorCode: string; readonly errorDescription: string; readonly details?: Record<string, unknown> };

export type Outcome<N extends CommandName> = { readonly completionCode: 'success'; readonly payload: CompletionPayload<N> } | Failure;

export interface CommandContext<N extends CommandName> {
  readonly payload: CommandPayload<N>;
  readonly signal: AbortSignal;
  readonly connectionId: number;
  readonly requestId: number;
  /** Solicited event to the requester, until the completion is sent. */
  emitEvent(name: string, payload: Record<string, unknown>): void;
}

export interface CommandHandler<N extends CommandName> {
  readonly name: N;
  /** The device a command concerns, for the audit log and metrics. */
  device?(payload: CommandPayload<N>): string | undefined;
  handle(context: CommandContext<N>): Promise<Outcome<N>>;
}

// Handlers are stored type-erased; lookups hand them back for their own name only.
type AnyHandler = { [N in CommandName]: CommandHandler<N> }[CommandName];

export class CommandRegistry {
  readonly #handlers = new Map<string, AnyHandler>();

  register(handler: AnyHandler): void {
    if (this.#handlers.has(handler.name)) throw new Error(`handler for ${handler.name} registered twice`);
    this.#handlers.set(handler.name, handler);
  }

  get(name: string): AnyHandler | undefined {
    return this.#handlers.get(name);
  }

  names(): string[] {
    return [...this.#handlers.keys()].sort();
  }
}

export function success<P>(payload: P): { readonly completionCode: 'success'; readonly payload: P } {
  return { completionCode: 'success', payload };
}

export function failure(completionCode: FailureCode, errorDescription: string, errorCode?: string): Failure {
  return errorCode === undefined ? { completionCode, errorDescription } : { completionCode, errorDescription, errorCode };
}

export function commandError(errorCode: string, errorDescription: string): Failure {
  return { completionCode: 'commandErrorCode', errorCode, errorDescription };
}

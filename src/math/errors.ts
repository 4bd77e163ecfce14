/** A problem with the caller's input, with a one-line message that names it. */
export class SocmInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SocmInputError';
  }
}

/** Thrown when a long computation is cancelled through its AbortSignal. */
export class SocmAbortError extends Error {
  constructor(message = 'computation cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new SocmAbortError();
}

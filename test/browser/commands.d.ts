import 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    readShared: (path: string) => Promise<string | null>;
    poolscopeScore: (model: string, a: string, b: string) => Promise<Record<string, number>>;
    fixtureReference: () => Promise<string>;
    checkpointReference: () => Promise<string>;
  }
}

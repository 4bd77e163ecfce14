import 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    readShared: (path: string) => Promise<string | null>;
  }
}

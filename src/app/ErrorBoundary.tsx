import { Component, type ReactNode } from 'react';

/**
 * The last line: an error while drawing shows what happened and a way back, instead of a blank
 * page. The session is saved in this browser as the user works, so a reload restores it.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <main className="card" role="alert" data-testid="app-error">
        <h1>Poolscope stopped drawing</h1>
        <p>Something went wrong on this page: {error.message}</p>
        <p>Your texts, panels and corpus runs are saved in this browser as you work: reloading brings them back.</p>
        <button type="button" onClick={() => location.reload()}>Reload</button>
      </main>
    );
  }
}

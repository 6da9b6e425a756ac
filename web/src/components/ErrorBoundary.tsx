import { Component, type ReactNode } from 'react';
import { Alert, Button, Stack } from '@mantine/core';

/** A page that fails to render says so, in words, instead of leaving a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null }> {
  state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error) {
      this.setState({ error: null });
    }
  }

  render() {
    if (this.state.error) {
      return (
        <Stack maw={640}>
          <Alert color="red" title="This page could not be shown" role="alert">
            {this.state.error.message}
          </Alert>
          <Button variant="default" w="fit-content" onClick={() => this.setState({ error: null })}>
            Try again
          </Button>
        </Stack>
      );
    }
    return this.props.children;
  }
}

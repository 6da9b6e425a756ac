import { Alert } from '@mantine/core';
import { errorText } from '../api/client';

/** An API error shown where it happened, in words. */
export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  return (
    <Alert color="red" title={title ?? 'Something went wrong'} role="alert">
      {errorText(error)}
    </Alert>
  );
}

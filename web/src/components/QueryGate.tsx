import type { ReactNode } from 'react';
import { Loader } from '@mantine/core';
import { ErrorNotice } from './ErrorNotice';

/**
 * What a page shows instead of its content while a query loads or after it failed; null once the
 * data is there. Usage: `const wait = gate(users, 'users'); if (wait) return wait;`
 */
export function gate(query: { isPending: boolean; isError: boolean; error: unknown }, what: string): ReactNode | null {
  if (query.isPending) {
    return <Loader aria-label={'Loading ' + what} />;
  }
  if (query.isError) {
    return <ErrorNotice error={query.error} />;
  }
  return null;
}

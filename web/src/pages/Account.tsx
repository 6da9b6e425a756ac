import { useState } from 'react';
import { Alert, Button, Code, Group, Loader, Stack, Table, TextInput, Title } from '@mantine/core';
import { del, post } from '../api/client';
import { useChange, useCurrentUser, useTokens } from '../api/hooks';
import type { Token } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { when } from '../logic/time';
import { PasswordForm } from './Users';

export function AccountPage() {
  const user = useCurrentUser();
  const tokens = useTokens();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [changing, setChanging] = useState(false);
  const create = useChange(() => post<Token>('/user/tokens', name ? { name } : {}), {
    invalidate: [['tokens']],
    onSuccess: (token) => {
      setCreated(token.id);
      setName('');
    },
  });
  const revoke = useChange((id: string) => del(`/user/tokens/${id}`), { invalidate: [['tokens']], success: 'Token revoked' });
  if (user.isPending || tokens.isPending) {
    return <Loader aria-label="Loading your account" />;
  }
  if (user.isError) {
    return <ErrorNotice error={user.error} />;
  }
  return (
    <Stack maw={720}>
      <Title order={2}>Account</Title>
      <div>
        {user.data.name} ({user.data.username}, {user.data.email})
      </div>
      {changing ? (
        <PasswordForm user={user.data} done={() => setChanging(false)} />
      ) : (
        <Button variant="default" w="fit-content" onClick={() => setChanging(true)}>
          Change password
        </Button>
      )}
      <Title order={3}>API tokens</Title>
      <Group align="flex-end">
        <TextInput label="Name (optional)" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button onClick={() => create.mutate(undefined)} loading={create.isPending}>
          Create token
        </Button>
      </Group>
      {created && (
        <Alert color="teal" title="Your new token: copy it now, it is not shown again" withCloseButton onClose={() => setCreated(null)}>
          <Code data-testid="new-token">{created}</Code>
        </Alert>
      )}
      {tokens.isError ? (
        <ErrorNotice error={tokens.error} />
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Token</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Code>{t.id}…</Code>
                </Table.Td>
                <Table.Td>{t.name ?? ''}</Table.Td>
                <Table.Td>{when(t.created)}</Table.Td>
                <Table.Td>{t.expired ? 'expired' : 'active'}</Table.Td>
                <Table.Td>
                  <Button size="xs" color="red" variant="light" onClick={() => revoke.mutate(t.id)}>
                    Revoke
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

import { useState } from 'react';
import { Alert, Button, Code, Group, Image, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { apiUrl, del, get, post, ApiError } from '../api/client';
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
      {user.data.external ? (
        <Text size="sm" c="dimmed">
          You sign in through your directory or identity provider; your password is kept there.
        </Text>
      ) : changing ? (
        <PasswordForm user={user.data} done={() => setChanging(false)} />
      ) : (
        <Button variant="default" w="fit-content" onClick={() => setChanging(true)}>
          Change password
        </Button>
      )}
      <TwoFactor userId={user.data.id} />
      <Identities userId={user.data.id} />
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

interface TotpInfo {
  id: number;
  url: string;
  recovery_code?: string;
}

/** The user's TOTP: add one (QR code and recovery code shown once) or remove it; only where the server allows TOTP. */
function TwoFactor({ userId }: { userId: number }) {
  const methods = useQuery({
    queryKey: ['auth-methods'],
    queryFn: () => get<{ auth_methods: { totp?: { allow_recovery: boolean } } }>('/auth/login'),
  });
  const totp = useQuery({
    queryKey: ['totp', userId],
    queryFn: async () => {
      try {
        return await get<TotpInfo>(`/users/${userId}/2fas/totp`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          return null;
        }
        throw e;
      }
    },
    enabled: Boolean(methods.data?.auth_methods.totp),
  });
  const [made, setMade] = useState<TotpInfo | null>(null);
  const add = useChange(() => post<TotpInfo>(`/users/${userId}/2fas/totp`), {
    invalidate: [['totp', userId]],
    success: 'TOTP added',
    onSuccess: setMade,
  });
  const remove = useChange((id: number) => del(`/users/${userId}/2fas/totp/${id}`), {
    invalidate: [['totp', userId]],
    success: 'TOTP removed',
    onSuccess: () => setMade(null),
  });
  if (!methods.data?.auth_methods.totp) {
    return null;
  }
  const current = totp.data;
  return (
    <Stack gap="xs">
      <Title order={3}>Two-factor sign-in</Title>
      {current ? (
        <>
          <Text size="sm">A time-based code (TOTP) is asked after your password.</Text>
          {made && (
            <Alert title="Scan this with your authenticator app">
              <Image src={apiUrl(`/users/${userId}/2fas/totp/${made.id}/qr`)} alt="TOTP QR code" w={200} h={200} />
              <Text size="xs" mt="xs">
                Or enter: <Code>{made.url}</Code>
              </Text>
              {made.recovery_code && (
                <Text size="sm" mt="xs">
                  Recovery code (shown this once; keep it safe): <Code data-testid="recovery-code">{made.recovery_code}</Code>
                </Text>
              )}
            </Alert>
          )}
          <Button variant="default" color="red" w="fit-content" onClick={() => remove.mutate(current.id)}>
            Remove TOTP
          </Button>
        </>
      ) : (
        <Button variant="default" w="fit-content" onClick={() => add.mutate(undefined)} loading={add.isPending}>
          Add TOTP
        </Button>
      )}
    </Stack>
  );
}

interface Identity {
  id: number;
  type: string;
  provider: string;
  external_uid: string;
  created: string;
}

/** The directory and identity-provider accounts this user signs in with; each can be unlinked. */
export function Identities({ userId }: { userId: number }) {
  const identities = useQuery({
    queryKey: ['identities', userId],
    queryFn: () => get<Identity[]>(`/users/${userId}/identities`),
  });
  const unlink = useChange((i: Identity) => del(`/users/${userId}/identities/${i.type}/${encodeURIComponent(i.provider)}`), {
    invalidate: [['identities', userId]],
    success: 'Identity unlinked',
  });
  if (identities.isError) {
    return <ErrorNotice error={identities.error} />;
  }
  if (!identities.data || identities.data.length === 0) {
    return null;
  }
  return (
    <Stack gap="xs">
      <Title order={3}>Sign-in identities</Title>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Identity</Table.Th>
            <Table.Th>Linked</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {identities.data.map((i) => (
            <Table.Tr key={i.id}>
              <Table.Td>{i.type === 'ldap' ? 'LDAP' : `OIDC: ${i.provider}`}</Table.Td>
              <Table.Td>
                <Code>{i.external_uid}</Code>
              </Table.Td>
              <Table.Td>{when(i.created)}</Table.Td>
              <Table.Td>
                <Button size="xs" color="red" variant="light" onClick={() => unlink.mutate(i)} loading={unlink.isPending}>
                  Unlink
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

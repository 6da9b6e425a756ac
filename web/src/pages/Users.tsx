import { useState } from 'react';
import { Button, Checkbox, Group, Modal, PasswordInput, SegmentedControl, Stack, Table, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, del, get } from '../api/client';
import { useChange, useCurrentUser, useLockouts, useUsers } from '../api/hooks';
import type { User } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { gate } from '../components/QueryGate';
import { Identities } from './Account';

export function UsersPage() {
  const users = useUsers();
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [password, setPassword] = useState<User | null>(null);
  const [linking, setLinking] = useState<User | null>(null);
  const remove = useChange((id: number) => del(`/users/${id}`), { invalidate: [['users']], success: 'User deleted' });
  // How each user signs in: a TOTP, directory or provider identities.
  const factors = useQuery({
    queryKey: ['users', 'factors'],
    queryFn: () => get<Record<string, { totp: boolean; identities: string[] }>>('/users/factors'),
  });
  if (!users.data) {
    return gate(users, 'users');
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button onClick={() => setEditing('new')}>New user</Button>
      </Group>
      <Table.ScrollContainer minWidth={600}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Login</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Admin</Table.Th>
              <Table.Th>Sign-in</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.name}</Table.Td>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>{u.email}</Table.Td>
                <Table.Td>{u.admin ? 'yes' : ''}</Table.Td>
                <Table.Td>{signIn(u, factors.data?.[String(u.id)])}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setEditing(u)}>
                      Edit
                    </Button>
                    <Button size="xs" variant="default" onClick={() => setPassword(u)}>
                      Password
                    </Button>
                    <Button size="xs" variant="default" onClick={() => setLinking(u)}>
                      Identities
                    </Button>
                    <Button size="xs" color="red" variant="light" onClick={() => window.confirm(`Delete ${u.username}?`) && remove.mutate(u.id)}>
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <FailedSignIns />
      <Modal opened={editing != null} onClose={() => setEditing(null)} title={editing === 'new' ? 'New user' : 'Edit user'}>
        {editing && <UserForm user={editing === 'new' ? undefined : editing} done={() => setEditing(null)} />}
      </Modal>
      <Modal opened={linking != null} onClose={() => setLinking(null)} title={`Sign-in identities of ${linking?.username ?? ''}`} size="lg">
        {linking && (
          <Stack>
            <Identities userId={linking.id} />
            <LinkIdentityForm user={linking} />
          </Stack>
        )}
      </Modal>
      <Modal opened={password != null} onClose={() => setPassword(null)} title="Set password">
        {password && <PasswordForm user={password} done={() => setPassword(null)} />}
      </Modal>
    </Stack>
  );
}

/**
 * Links an account to a directory entry or a provider's person: how a local account comes to sign in
 * through LDAP or OIDC, since a provider asserting the same e-mail never takes it over.
 */
function LinkIdentityForm({ user }: { user: User }) {
  const [type, setType] = useState('oidc');
  const [provider, setProvider] = useState('');
  const [uid, setUid] = useState('');
  const link = useChange(
    () => api('POST', `/users/${user.id}/identities`, { type, provider: type === 'ldap' ? 'ldap' : provider, external_uid: uid }),
    {
      invalidate: [['identities', user.id], ['users', 'factors']],
      success: 'Identity linked',
      onSuccess: () => setUid(''),
    },
  );
  return (
    <Stack gap="xs">
      <Title order={4}>Link an identity</Title>
      <SegmentedControl value={type} onChange={setType} data={[{ value: 'oidc', label: 'OIDC' }, { value: 'ldap', label: 'LDAP' }]} />
      {type === 'oidc' && <TextInput label="Provider id" description="Its key in oidc_providers" value={provider} onChange={(e) => setProvider(e.currentTarget.value)} />}
      <TextInput
        label={type === 'ldap' ? 'Entry DN' : 'Subject (sub claim)'}
        value={uid}
        onChange={(e) => setUid(e.currentTarget.value)}
      />
      <Button w="fit-content" onClick={() => link.mutate(undefined)} loading={link.isPending} disabled={!uid || (type === 'oidc' && !provider)}>
        Link
      </Button>
    </Stack>
  );
}

/** How a user signs in, as a short text: "password + TOTP", "oidc:corp", ... */
function signIn(user: User, factor?: { totp: boolean; identities: string[] }): string {
  const ways = [...(user.external ? [] : ['password']), ...(factor?.identities ?? [])];
  return ways.join(', ') + (factor?.totp ? ' + TOTP' : '');
}

/** Logins and client addresses with failed sign-ins; a locked one can be let in again. */
function FailedSignIns() {
  const lockouts = useLockouts();
  const unlock = useChange((subject: string) => del(`/auth/lockouts?subject=${encodeURIComponent(subject)}`), {
    invalidate: [['lockouts']],
    success: 'Failed sign-ins cleared',
  });
  if (!lockouts.data || lockouts.data.length === 0) {
    return null;
  }
  const now = Date.now();
  return (
    <Stack gap="xs" mt="lg">
      <Title order={3}>Failed sign-ins</Title>
      <Table.ScrollContainer minWidth={600}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Login or address</Table.Th>
              <Table.Th>Failures</Table.Th>
              <Table.Th>Last</Table.Th>
              <Table.Th>Locked until</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lockouts.data.map((l) => (
              <Table.Tr key={l.subject}>
                <Table.Td>{l.subject}</Table.Td>
                <Table.Td>{l.failures}</Table.Td>
                <Table.Td>{new Date(l.last_failure).toLocaleString()}</Table.Td>
                <Table.Td>{l.locked_until && Date.parse(l.locked_until) > now ? new Date(l.locked_until).toLocaleString() : ''}</Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <Button size="xs" variant="default" onClick={() => unlock.mutate(l.subject)}>
                      Clear
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

function UserForm({ user, done }: { user?: User; done: () => void }) {
  const [form, setForm] = useState({ name: user?.name ?? '', username: user?.username ?? '', email: user?.email ?? '', admin: user?.admin ?? false, alert: user?.alert ?? false, password: '' });
  const save = useChange((body: unknown) => (user ? api('PUT', `/users/${user.id}`, body) : api('POST', '/users', body)), {
    invalidate: [['users']],
    success: 'User saved',
    onSuccess: done,
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const { password, ...rest } = form;
        save.mutate(user ? rest : { ...rest, password });
      }}
    >
      <Stack>
        <TextInput label="Name" required value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} data-autofocus />
        <TextInput label="Login" required value={form.username} onChange={(e) => setForm({ ...form, username: e.currentTarget.value })} />
        <TextInput label="E-mail" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
        {!user && <PasswordInput label="Password" required value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} />}
        <Checkbox label="Admin" checked={form.admin} onChange={(e) => setForm({ ...form, admin: e.currentTarget.checked })} />
        <Checkbox label="Send alerts by e-mail" checked={form.alert} onChange={(e) => setForm({ ...form, alert: e.currentTarget.checked })} />
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

export function PasswordForm({ user, done }: { user: User; done: () => void }) {
  const [password, setPassword] = useState('');
  const [current, setCurrent] = useState('');
  const [keepTokens, setKeepTokens] = useState(false);
  const me = useCurrentUser();
  const own = me.data?.id === user.id;
  const save = useChange(
    () => api('POST', `/users/${user.id}/password`, own ? { password, current_password: current, keep_tokens: keepTokens } : { password, keep_tokens: keepTokens }),
    { invalidate: [], success: 'Password changed', onSuccess: done },
  );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <Stack>
        {own && <PasswordInput label="Current password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} data-autofocus autoComplete="current-password" />}
        <PasswordInput label={'New password for ' + user.username} required value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-autofocus={!own} autoComplete="new-password" />
        <Checkbox
          label="Keep the user's API tokens"
          description="Other sign-ins of the user end either way; their API tokens are deleted unless kept."
          checked={keepTokens}
          onChange={(e) => setKeepTokens(e.currentTarget.checked)}
        />
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

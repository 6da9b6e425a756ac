import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Code, CopyButton, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { api, del, errorText, get, post } from '../api/client';
import { useChange } from '../api/hooks';
import type { Role } from '../api/types';
import { when } from '../logic/time';

interface Invite {
  id: number;
  project_id: number;
  user_id: number | null;
  email: string | null;
  role: Role;
  status: string;
  expires_at: string;
  token?: string;
}

interface TeamSettings {
  teams?: { invites_enabled: boolean; invite_type: 'username' | 'email' | 'both' };
}

/** The Team page's invitations: who is invited, a form to invite by user or e-mail, the link to pass on. */
export function Invitations({ projectId, roles, candidates }: {
  projectId: number;
  roles: { value: Role; label: string }[];
  candidates: { value: string; label: string }[];
}) {
  const info = useQuery({ queryKey: ['info'], queryFn: () => get<TeamSettings>('/info') });
  const queryKey = ['project', projectId, 'invites'];
  const invites = useQuery({ queryKey, queryFn: () => get<Invite[]>(`/project/${projectId}/invites`) });
  const [email, setEmail] = useState('');
  const [user, setUser] = useState<string | null>(null);
  const [role, setRole] = useState<Role>('guest');
  const [link, setLink] = useState<string | null>(null);
  const invite = useChange((body: unknown) => post<Invite>(`/project/${projectId}/invites`, body), {
    invalidate: [queryKey],
    success: 'Invitation made',
    onSuccess: (made) => {
      setLink(`${window.location.origin}/accept-invite?token=${made.token}`);
      setEmail('');
      setUser(null);
    },
  });
  const remove = useChange((id: number) => del(`/project/${projectId}/invites/${id}`), { invalidate: [queryKey] });
  const teams = info.data?.teams;
  if (!teams?.invites_enabled) {
    return null;
  }
  const byName = teams.invite_type !== 'email';
  const byMail = teams.invite_type !== 'username';
  return (
    <Stack gap="xs">
      <Title order={4}>Invitations</Title>
      <Group align="flex-end">
        {byName && <Select label="Invite a user" placeholder="Search" searchable data={candidates} value={user} onChange={setUser} w={260} />}
        {byMail && <TextInput label="or an e-mail address" value={email} onChange={(e) => setEmail(e.currentTarget.value)} w={260} />}
        <Select label="Invited role" data={roles} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} w={160} />
        <Button
          disabled={!user && !email}
          loading={invite.isPending}
          onClick={() => invite.mutate(user ? { user_id: Number(user), role } : { email, role })}
        >
          Invite
        </Button>
      </Group>
      {link && (
        <Alert variant="light" title="Pass this link on (it is shown only now)">
          <Group gap="xs">
            <Code data-testid="invite-link">{link}</Code>
            <CopyButton value={link}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
          </Group>
        </Alert>
      )}
      {(invites.data ?? []).length > 0 && (
        <Table>
          <Table.Tbody>
            {(invites.data ?? []).map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.email ?? candidates.find((c) => c.value === String(i.user_id))?.label ?? `user #${i.user_id}`}</Table.Td>
                <Table.Td>{roles.find((r) => r.value === i.role)?.label}</Table.Td>
                <Table.Td>
                  {i.status}
                  {i.status === 'pending' && <Text size="xs" c="dimmed">until {when(i.expires_at)}</Text>}
                </Table.Td>
                <Table.Td align="right">
                  <Button size="xs" color="red" variant="light" onClick={() => remove.mutate(i.id)}>
                    Delete
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

/** {@code /accept-invite?token=}: accepts the invitation for the signed-in user and links to the project. */
export function AcceptInvitePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<{ projectId?: number; error?: string }>({});
  useEffect(() => {
    let current = true;
    api<Invite>('POST', '/invites/accept', { token })
      .then((invite) => current && setState({ projectId: invite.project_id }))
      .catch((e) => current && setState({ error: errorText(e) }));
    return () => {
      current = false;
    };
  }, [token]);
  if (state.error) {
    return <Alert color="red" title="The invitation could not be accepted">{state.error}</Alert>;
  }
  if (state.projectId == null) {
    return <Loader aria-label="Accepting the invitation" />;
  }
  return (
    <Alert color="teal" title="You joined the project">
      <Anchor component={Link} to={`/project/${state.projectId}/templates`}>
        Open it
      </Anchor>
    </Alert>
  );
}

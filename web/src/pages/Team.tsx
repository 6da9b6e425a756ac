import { useState } from 'react';
import { Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, del, get, put } from '../api/client';
import { useChange, useMembers, useRole } from '../api/hooks';
import { Permission, type Role } from '../api/types';
import { useProjectId } from '../components/Shell';
import { gate } from '../components/QueryGate';
import { Invitations } from './Invitations';

const ROLES: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner' },
  { value: 'manager', label: 'Manager' },
  { value: 'task_runner', label: 'Task runner' },
  { value: 'guest', label: 'Guest' },
];

export function TeamPage() {
  const projectId = useProjectId();
  const members = useMembers(projectId);
  const role = useRole(projectId);
  const canManage = ((role.data?.permissions ?? 0) & Permission.manageUsers) !== 0;
  const [search, setSearch] = useState('');
  const [newUser, setNewUser] = useState<string | null>(null);
  const [newRole, setNewRole] = useState<Role>('task_runner');
  const candidates = useQuery({
    queryKey: ['users', 'search', search],
    queryFn: () => get<{ id: number; username: string; name: string }[]>('/users?s=' + encodeURIComponent(search)),
    enabled: canManage,
  });
  const invalidate = [['project', projectId, 'users']];
  const add = useChange(() => api('POST', `/project/${projectId}/users`, { user_id: Number(newUser), role: newRole }), {
    invalidate,
    success: 'Member added',
    onSuccess: () => setNewUser(null),
  });
  const change = useChange((m: { id: number; role: string }) => put(`/project/${projectId}/users/${m.id}`, { role: m.role }), {
    invalidate,
    success: 'Role changed',
  });
  const remove = useChange((id: number) => del(`/project/${projectId}/users/${id}`), { invalidate, success: 'Member removed' });
  if (!members.data) {
    return gate(members, 'the team');
  }
  const memberIds = new Set(members.data.map((m) => m.id));
  return (
    <Stack>
      <Title order={2}>Team</Title>
      {canManage && (
        <Group align="flex-end">
          <Select
            label="Add a user"
            placeholder="Search by name or login"
            searchable
            searchValue={search}
            onSearchChange={setSearch}
            data={(candidates.data ?? []).filter((u) => !memberIds.has(u.id)).map((u) => ({ value: String(u.id), label: `${u.name} (${u.username})` }))}
            value={newUser}
            onChange={setNewUser}
            w={300}
          />
          <Select label="Role" data={ROLES} value={newRole} onChange={(v) => v && setNewRole(v as Role)} allowDeselect={false} w={160} />
          <Button disabled={!newUser} loading={add.isPending} onClick={() => add.mutate(undefined)}>
            Add
          </Button>
        </Group>
      )}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Login</Table.Th>
            <Table.Th>Role</Table.Th>
            {canManage && <Table.Th aria-label="Actions" />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.data.map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>{m.name}</Table.Td>
              <Table.Td>{m.username}</Table.Td>
              <Table.Td>
                {canManage ? (
                  <Select aria-label={'Role of ' + m.username} data={ROLES} value={m.role} onChange={(v) => v && change.mutate({ id: m.id, role: v })} allowDeselect={false} w={160} />
                ) : (
                  <Text size="sm">{ROLES.find((r) => r.value === m.role)?.label}</Text>
                )}
              </Table.Td>
              {canManage && (
                <Table.Td>
                  <Button size="xs" color="red" variant="light" onClick={() => remove.mutate(m.id)} aria-label={'Remove ' + m.username}>
                    Remove
                  </Button>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {canManage && (
        <Invitations
          projectId={projectId}
          roles={ROLES}
          candidates={(candidates.data ?? []).filter((u) => !memberIds.has(u.id)).map((u) => ({ value: String(u.id), label: `${u.name} (${u.username})` }))}
        />
      )}
    </Stack>
  );
}

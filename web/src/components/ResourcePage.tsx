import { type ReactNode, useState } from 'react';
import { Anchor, Button, Group, List, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { ApiError, del, errorText, get } from '../api/client';
import { useRole } from '../api/hooks';
import { Permission } from '../api/types';
import { ErrorNotice } from './ErrorNotice';

export interface Column<T> {
  title: string;
  render: (item: T) => ReactNode;
}

interface Props<T extends { id: number; name: string }> {
  projectId: number;
  title: string;
  /** the API's name for the list: keys, repositories, inventory, environment */
  resource: string;
  noun: string;
  query: { data?: T[]; isPending: boolean; isError: boolean; error: unknown };
  columns: Column<T>[];
  /** the create (item undefined) or edit form; it calls done() when saved or cancelled */
  form: (item: T | undefined, done: () => void) => ReactNode;
}

/** A project resource: table, create and edit in a dialog, delete with the in-use refusal shown as links. */
export function ResourcePage<T extends { id: number; name: string }>(props: Props<T>) {
  const role = useRole(props.projectId);
  const canManage = ((role.data?.permissions ?? 0) & Permission.manageResources) !== 0;
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);

  if (props.query.isPending) {
    return <Loader aria-label={'Loading ' + props.title} />;
  }
  if (props.query.isError) {
    return <ErrorNotice error={props.query.error} />;
  }
  const items = props.query.data ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{props.title}</Title>
        {canManage && <Button onClick={() => setEditing('new')}>New {props.noun}</Button>}
      </Group>
      {items.length === 0 ? (
        <Text c="dimmed">No {props.title.toLowerCase()} yet.</Text>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                {props.columns.map((c) => (
                  <Table.Th key={c.title}>{c.title}</Table.Th>
                ))}
                {canManage && <Table.Th aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.id}>
                  <Table.Td>{item.name}</Table.Td>
                  {props.columns.map((c) => (
                    <Table.Td key={c.title}>{c.render(item)}</Table.Td>
                  ))}
                  {canManage && (
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="default" onClick={() => setEditing(item)} aria-label={'Edit ' + item.name}>
                          Edit
                        </Button>
                        <Button size="xs" color="red" variant="light" onClick={() => setDeleting(item)} aria-label={'Delete ' + item.name}>
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal
        opened={editing != null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? `New ${props.noun}` : `Edit ${props.noun}`}
        size="lg"
      >
        {editing != null && props.form(editing === 'new' ? undefined : editing, () => setEditing(null))}
      </Modal>
      {deleting && (
        <DeleteDialog
          projectId={props.projectId}
          path={`/project/${props.projectId}/${props.resource}/${deleting.id}`}
          name={deleting.name}
          noun={props.noun}
          resource={props.resource}
          onClose={() => setDeleting(null)}
        />
      )}
    </Stack>
  );
}

type Refs = Record<string, { id: number; name: string }[]>;

const REF_PAGES: Record<string, string> = {
  templates: 'templates',
  inventories: 'inventory',
  repositories: 'repositories',
  environments: 'environment',
};

/** Asks before deleting; when the server refuses because something uses it, lists those as links. */
export function DeleteDialog(props: {
  projectId: number;
  path: string;
  name: string;
  noun: string;
  resource: string;
  onClose: () => void;
}) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; refs: Refs | null } | null>(null);
  const remove = async () => {
    setBusy(true);
    try {
      await del(props.path);
      client.invalidateQueries({ queryKey: ['project', props.projectId, props.resource] });
      notifications.show({ color: 'teal', message: `${props.noun} ${props.name} deleted` });
      props.onClose();
    } catch (e) {
      let refs: Refs | null = null;
      if (e instanceof ApiError && e.status === 400) {
        refs = await get<Refs>(props.path + '/refs').catch(() => null);
      }
      setRefusal({ message: errorText(e), refs });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={props.onClose} title={`Delete ${props.noun}`}>
      <Stack>
        {refusal ? (
          <>
            <Text role="alert" c="red">
              {props.name} cannot be deleted: {refusal.message}
            </Text>
            {refusal.refs && (
              <List>
                {Object.entries(refusal.refs).flatMap(([kind, refs]) =>
                  refs.map((ref) => (
                    <List.Item key={kind + ref.id}>
                      used by {kind.replace(/s$/, '')}{' '}
                      <Anchor component={Link} to={`/project/${props.projectId}/${REF_PAGES[kind] ?? kind}${kind === 'templates' ? '/' + ref.id : ''}`}>
                        {ref.name}
                      </Anchor>
                    </List.Item>
                  )),
                )}
              </List>
            )}
            <Button variant="default" onClick={props.onClose}>
              Close
            </Button>
          </>
        ) : (
          <>
            <Text>
              Delete {props.noun} <b>{props.name}</b>? This cannot be undone.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                Cancel
              </Button>
              <Button color="red" loading={busy} onClick={remove}>
                Delete
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}

import { useState } from 'react';
import { ActionIcon, Button, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, del, errorText, post, put } from '../api/client';
import type { View } from '../api/types';

/** Add, rename, hide, reorder and delete a project's views (the tabs of the templates page). */
export function ViewsEditor({ projectId, views, done }: { projectId: number; views: View[]; done: () => void }) {
  const client = useQueryClient();
  const editable = views.filter((v) => v.type !== 'all');
  const [rows, setRows] = useState(editable.map((v) => ({ ...v, removed: false })));
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const move = (index: number, by: number) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    next.splice(index + by, 0, row);
    setRows(next);
  };
  const saveAll = async () => {
    setBusy(true);
    try {
      for (const row of rows) {
        const before = editable.find((v) => v.id === row.id)!;
        if (row.removed) {
          await del(`/project/${projectId}/views/${row.id}`);
        } else if (row.title !== before.title || Boolean(row.hidden) !== Boolean(before.hidden)) {
          await put(`/project/${projectId}/views/${row.id}`, { ...before, title: row.title, hidden: Boolean(row.hidden) });
        }
      }
      const kept = rows.filter((r) => !r.removed);
      if (kept.length > 0) {
        await post(`/project/${projectId}/views/positions`, Object.fromEntries(kept.map((r, i) => [r.id, i + 1])));
      }
      if (title.trim()) {
        await api('POST', `/project/${projectId}/views`, { title: title.trim(), position: kept.length + 1 });
      }
      notifications.show({ color: 'teal', message: 'Views saved' });
      done();
    } catch (e) {
      notifications.show({ color: 'red', title: 'Not done', message: errorText(e) });
    } finally {
      setBusy(false);
      client.invalidateQueries({ queryKey: ['project', projectId, 'views'] });
    }
  };
  return (
    <Stack>
      {rows.length === 0 && <Text c="dimmed">Only the All view so far.</Text>}
      {rows.map((row, index) =>
        row.removed ? null : (
          <Group key={row.id} wrap="nowrap">
            <TextInput aria-label={'Title of view ' + row.title} value={row.title} onChange={(e) => setRows(rows.map((r, i) => (i === index ? { ...r, title: e.currentTarget.value } : r)))} />
            <Checkbox label="Hidden" checked={Boolean(row.hidden)} onChange={(e) => setRows(rows.map((r, i) => (i === index ? { ...r, hidden: e.currentTarget.checked } : r)))} />
            <ActionIcon variant="default" aria-label={'Move ' + row.title + ' up'} disabled={index === 0} onClick={() => move(index, -1)}>
              ↑
            </ActionIcon>
            <ActionIcon variant="default" aria-label={'Move ' + row.title + ' down'} disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
              ↓
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" aria-label={'Delete view ' + row.title} onClick={() => setRows(rows.map((r, i) => (i === index ? { ...r, removed: true } : r)))}>
              ✕
            </ActionIcon>
          </Group>
        ),
      )}
      <TextInput label="New view" placeholder="Title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      <Group justify="flex-end">
        <Button variant="default" onClick={done}>
          Cancel
        </Button>
        <Button loading={busy} onClick={saveAll}>
          Save views
        </Button>
      </Group>
    </Stack>
  );
}

import { useState } from 'react';
import { Alert, Button, Checkbox, Divider, FileInput, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { errorText, post } from '../api/client';
import { useChange } from '../api/hooks';
import type { Project } from '../api/types';

interface Preview {
  project: string;
  create: Record<string, string[]>;
  ignored: string[];
  notes?: string[];
}

export function NewProjectPage() {
  const [name, setName] = useState('');
  const [demo, setDemo] = useState(false);
  const navigate = useNavigate();
  const create = useChange((body: { name: string; demo: boolean }) => post<Project>('/projects', body), {
    invalidate: [['projects']],
    success: 'Project created',
    onSuccess: (project) => navigate(`/project/${project.id}/templates`),
  });
  return (
    <Stack maw={520}>
      <Title order={2}>New project</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, demo });
        }}
      >
        <Stack>
          <TextInput label="Project name" required value={name} onChange={(e) => setName(e.currentTarget.value)} autoFocus />
          <Checkbox
            label="Fill it with the demo (a repository, inventories, build and deploy templates)"
            checked={demo}
            onChange={(e) => setDemo(e.currentTarget.checked)}
          />
          <Button type="submit" loading={create.isPending} w="fit-content">
            Create
          </Button>
        </Stack>
      </form>
      <Divider my="md" />
      <Restore />
    </Stack>
  );
}

/** A project from a backup file: checked first (what would be made is shown), then restored. */
function Restore() {
  const navigate = useNavigate();
  const [backup, setBackup] = useState<unknown>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const restore = useChange(() => post<Project>('/projects/restore', backup), {
    invalidate: [['projects']],
    success: 'Project restored',
    onSuccess: (project) => navigate(`/project/${project.id}/templates`),
  });
  const choose = async (file: File | null) => {
    setPreview(null);
    setError(null);
    setBackup(null);
    if (!file) {
      return;
    }
    try {
      const parsed = JSON.parse(await file.text());
      setBackup(parsed);
      setPreview(await post<Preview>('/projects/restore?dry_run=true', parsed));
    } catch (e) {
      setError(e instanceof SyntaxError ? 'The file is not JSON: ' + e.message : errorText(e));
    }
  };
  return (
    <Stack gap="xs">
      <Title order={4}>Restore from a backup</Title>
      <FileInput label="Backup file" placeholder="A project backup (upstream's JSON)" accept=".json,.backup,.bk" onChange={choose} clearable />
      {error && (
        <Alert color="red" title="This backup cannot be restored">
          {error}
        </Alert>
      )}
      {preview && (
        <Alert variant="light" title={`Project ${preview.project} will be made with:`}>
          <List size="sm">
            {Object.entries(preview.create)
              .filter(([, names]) => names.length > 0)
              .map(([kind, names]) => (
                <List.Item key={kind}>
                  {kind}: {names.join(', ')}
                </List.Item>
              ))}
          </List>
          {preview.ignored.length > 0 && (
            <Text size="sm" mt="xs">
              Not restored (this server does not keep them): {preview.ignored.join('; ')}
            </Text>
          )}
          {(preview.notes ?? []).length > 0 && (
            <Text size="sm" mt="xs">
              To do after the restore: {(preview.notes ?? []).join('; ')}
            </Text>
          )}
          <Text size="xs" c="dimmed" mt="xs">
            Keys come without their secrets: set them in the key store after the restore.
          </Text>
          <Button mt="sm" onClick={() => restore.mutate(undefined)} loading={restore.isPending}>
            Restore
          </Button>
        </Alert>
      )}
    </Stack>
  );
}

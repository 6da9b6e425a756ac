import { useState } from 'react';
import { Select, Stack, TextInput } from '@mantine/core';
import { api } from '../api/client';
import { useChange, useKeys, useRepositories } from '../api/hooks';
import type { Repository } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { ResourcePage } from '../components/ResourcePage';
import { useProjectId } from '../components/Shell';

export function RepositoriesPage() {
  const projectId = useProjectId();
  const repositories = useRepositories(projectId);
  const keys = useKeys(projectId);
  return (
    <ResourcePage
      projectId={projectId}
      title="Repositories"
      resource="repositories"
      noun="repository"
      query={repositories}
      columns={[
        { title: 'URL', render: (r: Repository) => <code>{r.git_url}</code> },
        { title: 'Branch', render: (r: Repository) => r.git_branch },
        { title: 'Key', render: (r: Repository) => keys.data?.find((k) => k.id === r.ssh_key_id)?.name ?? '' },
      ]}
      form={(repository, done) => <RepositoryForm projectId={projectId} repository={repository} done={done} />}
    />
  );
}

function RepositoryForm({ projectId, repository, done }: { projectId: number; repository?: Repository; done: () => void }) {
  const keys = useKeys(projectId);
  const [name, setName] = useState(repository?.name ?? '');
  const [url, setUrl] = useState(repository?.git_url ?? '');
  const [branch, setBranch] = useState(repository?.git_branch ?? 'main');
  const [keyId, setKeyId] = useState<string | null>(repository ? String(repository.ssh_key_id) : null);
  const save = useChange(
    (body: unknown) =>
      repository
        ? api('PUT', `/project/${projectId}/repositories/${repository.id}`, body)
        : api('POST', `/project/${projectId}/repositories`, body),
    { invalidate: [['project', projectId, 'repositories']], success: 'Repository saved', onSuccess: done },
  );
  const keyOptions = (keys.data ?? []).map((k) => ({ value: String(k.id), label: k.name }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: repository?.id, project_id: projectId, name, git_url: url, git_branch: branch, ssh_key_id: Number(keyId ?? keyOptions[0]?.value) });
      }}
    >
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <TextInput label="URL or path" description="https://…, ssh://…, git@host:path, file://… or an absolute path on the server" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
        <TextInput label="Branch" value={branch} onChange={(e) => setBranch(e.currentTarget.value)} />
        <Select label="Access key" data={keyOptions} value={keyId ?? keyOptions[0]?.value ?? null} onChange={setKeyId} allowDeselect={false} />
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

import { useState } from 'react';
import { Select, Stack, TextInput } from '@mantine/core';
import { api, errorText } from '../api/client';
import { useChange, useInventories, useKeys, useRepositories } from '../api/hooks';
import type { Inventory } from '../api/types';
import { CodeEditor } from '../components/CodeEditor';
import { FormButtons } from '../components/FormButtons';
import { ResourcePage } from '../components/ResourcePage';
import { useProjectId } from '../components/Shell';

const TYPES = [
  { value: 'static', label: 'Static (INI)' },
  { value: 'static-yaml', label: 'Static (YAML)' },
  { value: 'file', label: 'File in a repository' },
  { value: 'terraform-workspace', label: 'Terraform workspace' },
  { value: 'tofu-workspace', label: 'OpenTofu workspace' },
  { value: 'terragrunt-workspace', label: 'Terragrunt workspace' },
];

export function InventoriesPage() {
  const projectId = useProjectId();
  const inventories = useInventories(projectId);
  return (
    <ResourcePage
      projectId={projectId}
      title="Inventory"
      resource="inventory"
      noun="inventory"
      query={inventories}
      columns={[{ title: 'Type', render: (i: Inventory) => TYPES.find((t) => t.value === i.type)?.label ?? i.type }]}
      form={(inventory, done) => <InventoryForm projectId={projectId} inventory={inventory} done={done} />}
    />
  );
}

function InventoryForm({ projectId, inventory, done }: { projectId: number; inventory?: Inventory; done: () => void }) {
  const keys = useKeys(projectId);
  const repositories = useRepositories(projectId);
  const [name, setName] = useState(inventory?.name ?? '');
  const [type, setType] = useState(inventory?.type ?? 'static');
  const [text, setText] = useState(inventory?.inventory ?? '');
  const [sshKey, setSshKey] = useState<string | null>(inventory?.ssh_key_id != null ? String(inventory.ssh_key_id) : null);
  const [becomeKey, setBecomeKey] = useState<string | null>(inventory?.become_key_id != null ? String(inventory.become_key_id) : null);
  const [repository, setRepository] = useState<string | null>(inventory?.repository_id != null ? String(inventory.repository_id) : null);
  const save = useChange(
    (body: unknown) =>
      inventory ? api('PUT', `/project/${projectId}/inventory/${inventory.id}`, body) : api('POST', `/project/${projectId}/inventory`, body),
    { invalidate: [['project', projectId, 'inventory']], success: 'Inventory saved', onSuccess: done },
  );
  const keyOptions = (keys.data ?? []).map((k) => ({ value: String(k.id), label: k.name }));
  const workspace = type.endsWith('-workspace');
  const error = save.error ? errorText(save.error) : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          id: inventory?.id,
          project_id: projectId,
          name,
          type,
          inventory: text,
          ssh_key_id: sshKey ? Number(sshKey) : null,
          become_key_id: becomeKey ? Number(becomeKey) : null,
          repository_id: type === 'file' && repository ? Number(repository) : null,
        });
      }}
    >
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Select label="Type" data={TYPES} value={type} onChange={(v) => v && setType(v)} allowDeselect={false} />
        {!workspace && (
          <>
            <Select label="User credentials (SSH key or login)" data={keyOptions} value={sshKey} onChange={setSshKey} clearable />
            <Select label="Sudo credentials (become)" data={keyOptions} value={becomeKey} onChange={setBecomeKey} clearable />
          </>
        )}
        {type === 'file' && (
          <Select
            label="Repository (optional; else the template's)"
            data={(repositories.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))}
            value={repository}
            onChange={setRepository}
            clearable
          />
        )}
        {type === 'static' || type === 'static-yaml' ? (
          <CodeEditor label={type === 'static' ? 'Inventory (INI)' : 'Inventory (YAML)'} language={type === 'static' ? 'ini' : 'yaml'} value={text} onChange={setText} error={error} />
        ) : (
          <TextInput
            label={workspace ? 'Workspace' : 'Path to the inventory file'}
            required
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={error}
          />
        )}
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

import { useState } from 'react';
import { Checkbox, PasswordInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { api } from '../api/client';
import { useChange, useKeys } from '../api/hooks';
import type { Key } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { ResourcePage } from '../components/ResourcePage';
import { useProjectId } from '../components/Shell';

const TYPES = [
  { value: 'none', label: 'None' },
  { value: 'ssh', label: 'SSH key' },
  { value: 'login_password', label: 'Login with password' },
  { value: 'string', label: 'String (token, vault password)' },
];

export function KeysPage() {
  const projectId = useProjectId();
  const keys = useKeys(projectId);
  return (
    <ResourcePage
      projectId={projectId}
      title="Key Store"
      resource="keys"
      noun="key"
      query={keys}
      columns={[
        { title: 'Type', render: (k: Key) => TYPES.find((t) => t.value === k.type)?.label ?? k.type },
        { title: 'Login', render: (k: Key) => k.ssh?.login || k.login_password?.login || '' },
        {
          title: 'State',
          render: (k: Key) =>
            k.unusable ? (
              <Text size="xs" c="red" role="status">
                cannot be used: {k.unusable}
              </Text>
            ) : (
              ''
            ),
        },
      ]}
      form={(key, done) => <KeyForm projectId={projectId} keyItem={key} done={done} />}
    />
  );
}

function KeyForm({ projectId, keyItem, done }: { projectId: number; keyItem?: Key; done: () => void }) {
  const [name, setName] = useState(keyItem?.name ?? '');
  const [type, setType] = useState<string>(keyItem?.type ?? 'ssh');
  const [login, setLogin] = useState(keyItem?.ssh?.login ?? keyItem?.login_password?.login ?? '');
  const [secret, setSecret] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [replace, setReplace] = useState(!keyItem);
  const save = useChange(
    (body: unknown) =>
      keyItem ? api('PUT', `/project/${projectId}/keys/${keyItem.id}`, body) : api('POST', `/project/${projectId}/keys`, body),
    { invalidate: [['project', projectId, 'keys']], success: keyItem ? 'Key saved' : 'Key created', onSuccess: done },
  );
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { name, type, project_id: projectId };
    if (keyItem) {
      body.id = keyItem.id;
      body.override_secret = replace;
    }
    if (type === 'ssh') {
      body.ssh = { login, passphrase, private_key: secret };
    } else if (type === 'login_password') {
      body.login_password = { login, password: secret };
    } else if (type === 'string') {
      body.string = secret;
    }
    save.mutate(body);
  };
  const secretField = (input: React.ReactNode) => (replace ? input : null);
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Select label="Type" data={TYPES} value={type} onChange={(v) => v && setType(v)} allowDeselect={false} />
        {(type === 'ssh' || type === 'login_password') && (
          <TextInput label="Login" value={login} onChange={(e) => setLogin(e.currentTarget.value)} />
        )}
        {keyItem && type !== 'none' && (
          <Checkbox
            label="Replace the stored secret (it is never shown)"
            checked={replace}
            onChange={(e) => setReplace(e.currentTarget.checked)}
          />
        )}
        {type === 'ssh' &&
          secretField(
            <>
              <Textarea label="Private key" required autosize minRows={4} styles={{ input: { fontFamily: 'monospace' } }} value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />
              <PasswordInput label="Passphrase" value={passphrase} onChange={(e) => setPassphrase(e.currentTarget.value)} />
            </>,
          )}
        {type === 'login_password' &&
          secretField(<PasswordInput label="Password" required value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />)}
        {type === 'string' &&
          secretField(<PasswordInput label="Value" required value={secret} onChange={(e) => setSecret(e.currentTarget.value)} />)}
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

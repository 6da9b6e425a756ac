import { useState } from 'react';
import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title, Alert } from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { api, errorText } from '../api/client';

export function LoginPage() {
  const [auth, setAuth] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const next = params.get('next');

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/auth/login', { auth, password });
      client.clear();
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} component="form" onSubmit={submit}>
        <Stack>
          <Title order={2}>Sign in to Semaphore</Title>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <TextInput label="Login or e-mail" autoComplete="username" required value={auth} onChange={(e) => setAuth(e.currentTarget.value)} autoFocus />
          <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" loading={busy}>
            Sign in
          </Button>
          <Text size="xs" c="dimmed">
            No account yet? On a new server the first admin is created at start-up: the console shows its password,
            or set SEMAPHORE_ADMIN and SEMAPHORE_ADMIN_PASSWORD. An admin can also run{' '}
            <code>semaphore user add --admin</code>.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}

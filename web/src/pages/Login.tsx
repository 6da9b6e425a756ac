import { useEffect, useState } from 'react';
import { Button, Center, Code, Divider, Image, Paper, PasswordInput, Stack, Text, TextInput, Title, Alert } from '@mantine/core';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl, errorText, get } from '../api/client';
import { localPath } from '../logic/localPath';

interface LoginMetadata {
  oidc_providers: { id: string; name: string; color?: string; icon?: string }[];
  login_with_password: boolean;
  auth_methods: { totp?: { allow_recovery: boolean }; email?: object };
}


export function LoginPage() {
  const [auth, setAuth] = useState('');
  const [password, setPassword] = useState('');
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(params.get('error'));
  const [busy, setBusy] = useState(false);
  // After the password: the second factor the session still owes ('totp'), and whether a recovery code is typed instead.
  const [owed, setOwed] = useState<string | null>(null);
  const [code, setCode] = useState('');
  // Signing in with an address and an e-mailed code instead of a password.
  const [byEmail, setByEmail] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  // The TOTP a policy requires, added during this sign-in: its QR code and recovery code, shown once.
  const [enrolment, setEnrolment] = useState<{ id: number; url: string; recovery_code?: string } | null>(null);

  const mustEnrol = async () => {
    setOwed('enrol');
    try {
      setEnrolment(await api('POST', '/auth/totp'));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const [recovery, setRecovery] = useState(false);
  const navigate = useNavigate();
  const client = useQueryClient();
  const next = localPath(params.get('next'));
  const metadata = useQuery({ queryKey: ['login-metadata'], queryFn: () => get<LoginMetadata>('/auth/login') });

  const signedIn = () => {
    client.clear();
    navigate(next, { replace: true });
  };

  // Back from an identity provider, the session may still owe a code from the authenticator app.
  useEffect(() => {
    let gone = false;
    fetch(apiUrl('/user'), { credentials: 'same-origin' }).then(async (probe) => {
      if (gone || probe.status !== 401) {
        return;
      }
      const body = await probe.json().catch(() => ({}));
      if (body.error === 'TOTP_REQUIRED') {
        setOwed('totp');
      } else if (body.error === 'EMAIL_OTP_REQUIRED') {
        setOwed('email');
      } else if (body.error === 'TOTP_ENROLMENT_REQUIRED') {
        void mustEnrol();
      }
    }).catch(() => {});
    return () => {
      gone = true;
    };
  }, []);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (owed) {
        await api('POST', recovery ? '/auth/recovery' : '/auth/verify', recovery ? { recovery_code: code } : { passcode: code });
        // An e-mailed code may be followed by the authenticator app's.
        const probe = await fetch(apiUrl('/user'), { credentials: 'same-origin' });
        const body = probe.status === 401 ? await probe.json().catch(() => ({})) : {};
        if (body.error === 'TOTP_REQUIRED' && owed !== 'totp') {
          setOwed('totp');
          setCode('');
          return;
        }
        if (body.error === 'TOTP_ENROLMENT_REQUIRED') {
          setCode('');
          await mustEnrol();
          return;
        }
        signedIn();
        return;
      }
      if (byEmail) {
        await api('POST', '/auth/login/email', { email: auth });
        setOwed('email');
        return;
      }
      await api('POST', '/auth/login', { auth, password });
      // The session may still owe a second factor: the server says so on the first request.
      const probe = await fetch(apiUrl('/user'), { credentials: 'same-origin' });
      if (probe.status === 401) {
        const body = await probe.json().catch(() => ({}));
        if (body.error === 'TOTP_REQUIRED') {
          setOwed('totp');
          return;
        }
        if (body.error === 'EMAIL_OTP_REQUIRED') {
          setOwed('email');
          return;
        }
        if (body.error === 'TOTP_ENROLMENT_REQUIRED') {
          await mustEnrol();
          return;
        }
      }
      signedIn();
    } catch (e) {
      const text = errorText(e);
      setError(text === 'INVALID_PASSCODE' ? 'That code is not right (or was used already).'
        : text === 'INVALID_RECOVERY_CODE' ? 'That recovery code is not right.' : text);
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
          {notice && <Alert color="teal">{notice}</Alert>}
          {owed ? (
            <>
              {owed === 'email' && <Text size="sm">We sent a code to your e-mail address. It is valid for 10 minutes.</Text>}
              {owed === 'enrol' && (
                <>
                  <Text size="sm">
                    This server asks you to add a time-based code (TOTP). Scan the QR code with an authenticator app,
                    then type the code it shows.
                  </Text>
                  {enrolment && (
                    <>
                      <Image src={apiUrl(`/auth/totp/${enrolment.id}/qr`)} alt="TOTP QR code" w={200} h={200} />
                      <Code block>{enrolment.url}</Code>
                      {enrolment.recovery_code && (
                        <Text size="sm">
                          Recovery code (keep it somewhere safe, it is shown once): <Code data-testid="recovery-code">{enrolment.recovery_code}</Code>
                        </Text>
                      )}
                    </>
                  )}
                </>
              )}
              <TextInput
                label={recovery ? 'Recovery code' : owed === 'email' ? 'Code from the e-mail' : 'Code from your authenticator app'}
                autoComplete="one-time-code"
                inputMode={recovery ? 'text' : 'numeric'}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                autoFocus
              />
              <Button type="submit" loading={busy}>
                Verify
              </Button>
              {owed === 'totp' && metadata.data?.auth_methods.totp?.allow_recovery && (
                <Button variant="subtle" size="xs" onClick={() => { setRecovery(!recovery); setCode(''); }}>
                  {recovery ? 'Use a code from the app' : 'Use a recovery code'}
                </Button>
              )}
              {owed === 'email' && (
                <Button
                  variant="subtle"
                  size="xs"
                  onClick={() => api('POST', '/auth/login/email/resend').then(() => setNotice('A new code is on its way.'), (e) => setError(errorText(e)))}
                >
                  Send a new code
                </Button>
              )}
            </>
          ) : (
            <>
              {(metadata.data?.oidc_providers ?? []).map((provider) => (
                <Button
                  key={provider.id}
                  component="a"
                  variant="outline"
                  color={provider.color || undefined}
                  href={apiUrl(`/auth/oidc/${encodeURIComponent(provider.id)}/login?return_to=${encodeURIComponent(next)}`)}
                >
                  Sign in with {provider.name}
                </Button>
              ))}
              {(metadata.data?.oidc_providers.length ?? 0) > 0 && metadata.data?.login_with_password !== false && (
                <Divider label="or" labelPosition="center" />
              )}
            </>
          )}
          {!owed && byEmail && (
            <>
              <TextInput label="E-mail" type="email" autoComplete="email" required value={auth} onChange={(e) => setAuth(e.currentTarget.value)} autoFocus />
              <Button type="submit" loading={busy}>
                Send me a code
              </Button>
              <Button variant="subtle" size="xs" onClick={() => setByEmail(false)}>
                Sign in with a password
              </Button>
            </>
          )}
          {!owed && !byEmail && metadata.data?.login_with_password !== false && (
            <>
              <TextInput label="Login or e-mail" autoComplete="username" required value={auth} onChange={(e) => setAuth(e.currentTarget.value)} autoFocus />
              <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
              <Button type="submit" loading={busy}>
                Sign in
              </Button>
            </>
          )}
          {!owed && !byEmail && metadata.data?.auth_methods.email && (
            <Button variant="subtle" size="xs" onClick={() => setByEmail(true)}>
              Sign in with a code sent by e-mail
            </Button>
          )}
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

import { useState, type FormEvent } from 'react';
import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';

export interface SignInPageProps {
  /** The hub's address, shown so agents know where they are signing in. */
  readonly hubUrl: string;
  /** Why the agent is here again (a session that ended), if anything. */
  readonly notice: string | null;
  /** Resolves to `null` when signed in, else to what went wrong, in words. */
  readonly onSignIn: (email: string, password: string) => Promise<string | null>;
}

/** E-mail and password for a team hub, on a calm centred card. */
export function SignInPage({ hubUrl, notice, onSignIn }: SignInPageProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    // The app never navigates: the CSP's `form-action 'none'` would refuse it anyway.
    event.preventDefault();
    if (pending) return;
    if (email.trim() === '' || password === '') {
      setError('Enter your e-mail address and password.');
      return;
    }
    setPending(true);
    setError(null);
    const failure = await onSignIn(email, password);
    // On success this page is gone; only a failure has anything left to show.
    if (failure !== null) {
      setError(failure);
      setPending(false);
    }
  }

  return (
    <Stack align="center" pt="10vh" px="md">
      <Paper withBorder shadow="xs" p="xl" w="100%" maw={380} radius="md">
        <form onSubmit={(event) => void submit(event)} noValidate aria-label="Sign in">
          <Stack gap="md">
            <div>
              <Title order={3}>Sign in</Title>
              <Text size="sm" c="dimmed">
                to your team&apos;s hub at {new URL(hubUrl).host}
              </Text>
            </div>
            {notice && error === null && (
              <Alert variant="light" color="blue" p="xs" icon={<IconInfoCircle size={16} />}>
                {notice}
              </Alert>
            )}
            <TextInput
              label="E-mail"
              type="email"
              autoComplete="username"
              autoFocus
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            {error && (
              <Alert
                variant="light"
                color="red"
                p="xs"
                icon={<IconAlertCircle size={16} />}
                data-testid="sign-in-error"
              >
                {error}
              </Alert>
            )}
            <Button type="submit" fullWidth loading={pending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

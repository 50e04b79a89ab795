import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { normaliseHubUrl } from './session';

export interface SignInPageProps {
  /** The hub this page signs in to (prefills the hub field); null: none yet (desktop). */
  readonly hubUrl: string | null;
  /** Why the agent is here again (a session that ended), if anything. */
  readonly notice: string | null;
  /** Resolves to `null` when signed in, else to what went wrong, in words. */
  readonly onSignIn: (email: string, password: string, hubUrl: string) => Promise<string | null>;
  /**
   * Set a password with an invitation or reset code an admin gave, and sign in. Absent: the page
   * offers no code form.
   */
  readonly onAcceptCode?: (
    code: string,
    password: string,
    hubUrl: string,
  ) => Promise<string | null>;
  /**
   * Desktop: the agent may type another hub's address; this moves there (the window reloads so
   * its CSP names the hub, or the hub is checked at once). Absent: the hub field is read-only (a
   * browser page belongs to the hub that served it).
   */
  readonly onChooseHub?: (hubUrl: string) => Promise<string | null>;
  /** Where the sign-in is kept, when the agent should know (no secure storage). */
  readonly storageNotice?: string | null;
}

type Pending = null | 'checking' | 'signing_in';
type Mode = 'password' | 'code';

/** Hub address, e-mail and password for a team hub, on a calm centred card. */
export function SignInPage({
  hubUrl,
  notice,
  onSignIn,
  onAcceptCode,
  onChooseHub,
  storageNotice = null,
}: SignInPageProps) {
  const [mode, setMode] = useState<Mode>('password');
  const [code, setCode] = useState('');
  const [confirm, setConfirm] = useState('');
  const [hubInput, setHubInput] = useState(hubUrl ?? '');
  const [hubError, setHubError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);

  const typedHub = normaliseHubUrl(hubInput);
  // Another hub than the one this page may reach: it must be chosen (and checked) first.
  const otherHub = onChooseHub !== undefined && (!typedHub.ok || typedHub.url !== hubUrl);

  async function run(kind: Exclude<Pending, null>, action: () => Promise<string | null>) {
    setPending(kind);
    setError(null);
    const failure = await action();
    // On success this page is gone (or the window reloads); only a failure has anything to show.
    if (failure !== null) {
      setError(failure);
      setPending(null);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    // The app never navigates: the CSP's `form-action 'none'` would refuse it anyway.
    event.preventDefault();
    if (pending) return;
    if (!typedHub.ok) {
      setHubError(typedHub.message);
      return;
    }
    setHubError(null);
    if (otherHub && onChooseHub) {
      await run('checking', () => onChooseHub(typedHub.url));
      return;
    }
    if (mode === 'code' && onAcceptCode) {
      if (code.trim() === '') {
        setError('Enter the code your admin gave you.');
        return;
      }
      if (password.length < 10) {
        setError('Choose a password of at least 10 characters.');
        return;
      }
      if (password !== confirm) {
        setError('The two passwords differ.');
        return;
      }
      await run('signing_in', () => onAcceptCode(code, password, typedHub.url));
      return;
    }
    if (email.trim() === '' || password === '') {
      setError('Enter your e-mail address and password.');
      return;
    }
    await run('signing_in', () => onSignIn(email, password, typedHub.url));
  }

  return (
    <Stack align="center" pt="10vh" px="md">
      <Paper withBorder shadow="xs" p="xl" w="100%" maw={400} radius="md">
        <form onSubmit={(event) => void submit(event)} noValidate aria-label="Sign in">
          <Stack gap="md">
            <div>
              <Title order={3}>{mode === 'code' ? 'Set your password' : 'Sign in'}</Title>
              <Text size="sm" c="dimmed">
                {hubUrl && !otherHub
                  ? `to your team's hub at ${new URL(hubUrl).host}`
                  : "to your team's hub"}
              </Text>
            </div>
            {notice && error === null && (
              <Alert variant="light" color="blue" p="xs" icon={<IconInfoCircle size={16} />}>
                {notice}
              </Alert>
            )}
            <TextInput
              label="Hub address"
              description={
                onChooseHub
                  ? 'The address your team lead gave you, e.g. https://hub.example.com'
                  : 'This page belongs to this hub; open another hub’s address to use it.'
              }
              placeholder="https://hub.example.com"
              autoComplete="url"
              inputMode="url"
              spellCheck={false}
              readOnly={!onChooseHub}
              autoFocus={onChooseHub !== undefined && hubUrl === null}
              required
              value={hubInput}
              error={hubError}
              onChange={(event) => {
                setHubInput(event.currentTarget.value);
                setHubError(null);
              }}
              onBlur={() => {
                // Show the cleaned-up address, or what is wrong with it, as soon as it is left.
                if (hubInput.trim() === '') return;
                if (typedHub.ok) setHubInput(typedHub.url);
                else setHubError(typedHub.message);
              }}
              data-testid="hub-url"
            />
            {mode === 'code' ? (
              <>
                <TextInput
                  label="Invitation or reset code"
                  description="The one-time code your admin sent you"
                  autoComplete="one-time-code"
                  spellCheck={false}
                  autoFocus={!otherHub}
                  required
                  disabled={otherHub}
                  value={code}
                  onChange={(event) => setCode(event.currentTarget.value)}
                  data-testid="code-input"
                />
                <PasswordInput
                  label="New password"
                  description="At least 10 characters"
                  autoComplete="new-password"
                  required
                  disabled={otherHub}
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                />
                <PasswordInput
                  label="Repeat the new password"
                  autoComplete="new-password"
                  required
                  disabled={otherHub}
                  value={confirm}
                  onChange={(event) => setConfirm(event.currentTarget.value)}
                />
              </>
            ) : (
              <>
                <TextInput
                  label="E-mail"
                  type="email"
                  autoComplete="username"
                  autoFocus={!otherHub}
                  required
                  disabled={otherHub}
                  value={email}
                  onChange={(event) => setEmail(event.currentTarget.value)}
                />
                <PasswordInput
                  label="Password"
                  autoComplete="current-password"
                  required
                  disabled={otherHub}
                  value={password}
                  onChange={(event) => setPassword(event.currentTarget.value)}
                />
              </>
            )}
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
            <Button type="submit" fullWidth loading={pending !== null}>
              {otherHub ? 'Continue' : mode === 'code' ? 'Set password and sign in' : 'Sign in'}
            </Button>
            {onAcceptCode && !otherHub && (
              <Anchor
                component="button"
                type="button"
                size="sm"
                ta="center"
                onClick={() => {
                  setMode(mode === 'code' ? 'password' : 'code');
                  setError(null);
                  setPassword('');
                  setConfirm('');
                }}
                data-testid="sign-in-mode"
              >
                {mode === 'code'
                  ? 'Sign in with your password instead'
                  : 'I have an invitation or reset code'}
              </Anchor>
            )}
            {pending && (
              <Text size="xs" c="dimmed" ta="center" aria-live="polite">
                {pending === 'checking' ? 'Checking the hub…' : 'Checking the hub and signing in…'}
              </Text>
            )}
            {storageNotice && (
              <Alert
                variant="light"
                color="yellow"
                p="xs"
                icon={<IconLock size={16} />}
                data-testid="storage-notice"
              >
                {storageNotice}
              </Alert>
            )}
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState, type MouseEvent } from 'react';
import { IconAlertCircle, IconCircleCheck, IconLock } from '@tabler/icons-react';
import { CHANNEL_INFO, CHANNEL_KINDS } from '../../../../../shared/domain/channels';
import type { ShopKindView, ShopsApi, ShopView } from './shop-api';
import { credentialPath } from './shop-form';
import { ShopKindIcon, TestConnection } from './ShopCard';
import { useShopEditor, type ShopFormApi } from './use-shop-editor';
import type { ShopTest } from './use-shops';

/**
 * For the form's buttons: pressing one leaves the field focused until the click, so a field's
 * error shown on leaving it does not push the button away from under the pointer (the click was
 * lost, and Save did nothing).
 */
const keepFocus = (event: MouseEvent) => event.preventDefault();

const CHANNEL_OPTIONS = CHANNEL_KINDS.map((kind) => ({
  value: kind,
  label: CHANNEL_INFO[kind].label,
}));

function CredentialLabel({ label, set }: { label: string; set: boolean | null }) {
  return (
    <Group gap={6} component="span">
      <span>{label}</span>
      {set !== null && (
        <Badge
          size="xs"
          variant="light"
          color={set ? 'teal' : 'gray'}
          leftSection={set ? <IconLock size={10} /> : undefined}
        >
          {set ? 'Set' : 'Not set'}
        </Badge>
      )}
    </Group>
  );
}

export interface ShopFormFieldsProps {
  readonly form: ShopFormApi;
  readonly kinds: readonly ShopKindView[];
  /** The shop being edited; null when connecting a new one. */
  readonly shop: ShopView | null;
}

/**
 * The fields of the connect/edit form. Credentials are write-only: on a saved shop each says
 * whether the hub has it, and its input is empty (typing replaces it; left empty, it stays).
 */
export function ShopFormFields({ form, kinds, shop }: ShopFormFieldsProps) {
  const values = form.getValues();
  const kind = kinds.find((k) => k.kind === values.kind);
  return (
    <Stack gap="sm">
      {shop === null ? (
        <div>
          <Text size="sm" fw={500} mb={4} id="shop-kind-label">
            Kind of shop
          </Text>
          <SegmentedControl
            fullWidth
            aria-labelledby="shop-kind-label"
            data={kinds.map((k) => ({ value: k.kind, label: k.label }))}
            {...form.getInputProps('kind')}
            data-testid="shop-kind"
          />
          {form.errors['kind'] && (
            <Text size="xs" c="red" mt={4}>
              {form.errors['kind']}
            </Text>
          )}
        </div>
      ) : (
        <Group gap="sm">
          <ShopKindIcon kind={shop.kind} />
          <div>
            <Text size="sm" fw={500}>
              {kind?.label ?? shop.kind}
            </Text>
            <Text size="xs" c="dimmed">
              The kind cannot change: connect another shop instead.
            </Text>
          </div>
        </Group>
      )}
      <TextInput
        label="Name"
        description="How agents see this shop in the order panel."
        placeholder="e.g. EU store"
        data-autofocus
        {...form.getInputProps('name')}
      />
      <TextInput
        label="Address"
        description={kind ? `The shop’s address, such as ${kind.urlExample}.` : undefined}
        autoComplete="off"
        spellCheck={false}
        {...form.getInputProps('url')}
      />
      {(kind?.credentials ?? []).map((credential) => {
        const set = shop === null ? null : shop.credentials[credential.key]?.set === true;
        return (
          <PasswordInput
            key={`${values.kind}:${credential.key}`}
            label={<CredentialLabel label={credential.label} set={set} />}
            description={credential.hint}
            placeholder={set ? 'Set — enter a new value to replace' : 'Paste it here'}
            autoComplete="new-password"
            spellCheck={false}
            data-testid={`shop-credential-input-${credential.key}`}
            {...form.getInputProps(credentialPath(credential.key))}
          />
        );
      })}
      <MultiSelect
        label="Channels served"
        description="Customers writing on these channels see this shop’s orders. Leave empty for every channel."
        placeholder={values.channels.length === 0 ? 'All channels' : undefined}
        data={CHANNEL_OPTIONS}
        clearable
        {...form.getInputProps('channels')}
        data-testid="shop-channels-input"
      />
    </Stack>
  );
}

/** After saving: the shop is there; a test proves its address and credentials work. */
function SavedStep({
  shop,
  created,
  test,
  onTest,
  onEditAgain,
  onClose,
}: {
  readonly shop: ShopView;
  readonly created: boolean;
  readonly test: ShopTest;
  readonly onTest: () => void;
  readonly onEditAgain: () => void;
  readonly onClose: () => void;
}) {
  return (
    <Stack gap="md" data-testid="shop-saved">
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck size={18} />}
        title={created ? `${shop.name} was added` : 'Changes saved'}
      >
        Test the connection now: the shop’s own name shows when the address and credentials work, or
        the shop’s exact reason when they do not.
      </Alert>
      <TestConnection test={test} onTest={onTest} />
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onEditAgain}>
          Edit again
        </Button>
        <Button onClick={onClose} data-testid="shop-done">
          Done
        </Button>
      </Group>
    </Stack>
  );
}

export interface ShopFormModalProps {
  /** The shop to edit; null to connect a new one. */
  readonly shop: ShopView | null;
  readonly kinds: readonly ShopKindView[];
  readonly api: ShopsApi;
  readonly onSaved: (shop: ShopView) => void;
  readonly onClose: () => void;
  testOf(id: string): ShopTest;
  onTest(id: string): void;
}

/** Connect or edit a shop. Mounted per opening, so it starts from the shop as saved. */
export function ShopFormModal({
  shop,
  kinds,
  api,
  onSaved,
  onClose,
  testOf,
  onTest,
}: ShopFormModalProps) {
  const editor = useShopEditor({ shop, kinds, api, onSaved });
  const { form, saved, editing } = editor;
  // A new shop's modal stays "Connect a shop" until "Edit again" makes it the shop's editor.
  const [connecting, setConnecting] = useState(shop === null);
  const dirty = form.isDirty();
  return (
    <Modal
      opened
      onClose={onClose}
      title={connecting || editing === null ? 'Connect a shop' : `Edit “${editing.name}”`}
      size="lg"
      data-testid="shop-form"
    >
      {saved ? (
        <SavedStep
          shop={saved}
          created={connecting}
          test={testOf(saved.id)}
          onTest={() => onTest(saved.id)}
          onEditAgain={() => {
            setConnecting(false);
            editor.editAgain();
          }}
          onClose={onClose}
        />
      ) : (
        <form onSubmit={editor.submit} noValidate>
          <Stack gap="md">
            <ShopFormFields form={form} kinds={kinds} shop={editing} />
            {editor.error && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertCircle size={18} />}
                data-testid="shop-form-error"
              >
                {editor.error}
              </Alert>
            )}
            <Group justify="space-between" wrap="nowrap" align="center">
              <Text size="xs" c="dimmed">
                Credentials are kept by the hub and never shown again.
              </Text>
              <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
                <Button variant="default" onMouseDown={keepFocus} onClick={onClose}>
                  Cancel
                </Button>
                {editing !== null && dirty && (
                  <Button
                    variant="subtle"
                    color="gray"
                    onMouseDown={keepFocus}
                    onClick={form.reset}
                  >
                    Reset
                  </Button>
                )}
                <Button
                  type="submit"
                  onMouseDown={keepFocus}
                  loading={editor.saving}
                  disabled={editing !== null && !dirty}
                  data-testid="shop-save"
                >
                  {editing ? 'Save changes' : 'Connect shop'}
                </Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

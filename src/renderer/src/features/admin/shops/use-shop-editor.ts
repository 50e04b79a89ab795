import { useState, type SyntheticEvent } from 'react';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { HubRequestError } from '../../../data/data-layer';
import { messageOf } from '../use-hub-resource';
import { useSubmit } from '../use-submit';
import type { ShopKindView, ShopsApi, ShopView } from './shop-api';
import {
  newShopBody,
  newShopForm,
  placedFields,
  placeHubErrors,
  shopChanges,
  shopForm,
  validateShopForm,
  type ShopFormValues,
} from './shop-form';

export type ShopFormApi = UseFormReturnType<ShopFormValues>;

export interface ShopEditor {
  readonly form: ShopFormApi;
  /** The shop the form edits: the one given, or once connected, the new one (null before). */
  readonly editing: ShopView | null;
  /** Connect (new) or save the changes; the form's errors and the hub's show beside fields. */
  submit(event?: SyntheticEvent<HTMLFormElement>): void;
  readonly saving: boolean;
  /** What the hub said that belongs to no field. */
  readonly error: string | null;
  /** The shop as the hub saved it: the modal then offers to test it. */
  readonly saved: ShopView | null;
  /** Back to the form after saving (another change). */
  editAgain(): void;
}

/**
 * The connect/edit form of one shop. Mounted per opening, so it starts from the shop as saved:
 * checks beside each field once left (or on Save), dirty state against the saved shop, reset;
 * the hub's field errors (`400 details.fields`) beside their fields.
 */
export function useShopEditor({
  shop,
  kinds,
  api,
  onSaved,
}: {
  readonly shop: ShopView | null;
  readonly kinds: readonly ShopKindView[];
  readonly api: ShopsApi;
  readonly onSaved: (shop: ShopView) => void;
}): ShopEditor {
  const [current, setCurrent] = useState<ShopView | null>(shop);
  const [saved, setSaved] = useState<ShopView | null>(null);
  const form = useForm<ShopFormValues>({
    mode: 'controlled',
    initialValues: shop ? shopForm(shop, kinds) : newShopForm(kinds),
    validate: (values) => validateShopForm(values, kinds, current),
    validateInputOnBlur: true,
  });
  const { busy, error, run } = useSubmit();

  const refused = (failure: unknown): string | null => {
    const fields = failure instanceof HubRequestError ? failure.fields : [];
    if (fields.length === 0) return messageOf(failure);
    const kind = kinds.find((k) => k.kind === form.getValues().kind);
    const { beside, general } = placeHubErrors(fields, placedFields(kind));
    form.setErrors(beside);
    return general.length > 0 ? general.join(' ') : null;
  };

  const save = (values: ShopFormValues) =>
    run(async () => {
      const answer = current
        ? await api.update(current.id, shopChanges(current, values, kinds))
        : await api.create(newShopBody(values, kinds));
      // From here on the form edits the saved shop: typed credentials are gone (never kept).
      const next = shopForm(answer, kinds);
      form.setInitialValues(next);
      form.setValues(next);
      form.resetDirty(next);
      setCurrent(answer);
      setSaved(answer);
      onSaved(answer);
    }, refused);

  return {
    form,
    editing: current,
    submit: form.onSubmit((values) => void save(values)),
    saving: busy,
    error,
    saved,
    editAgain: () => setSaved(null),
  };
}

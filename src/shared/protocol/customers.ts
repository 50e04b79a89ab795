import { z } from 'zod';
import { channelKindSchema } from '../domain/channels';
import { conversationSchema, customerSchema } from '../domain/model';

/**
 * One customer across channels (issue #20 item 2): the profile an agent reads and edits beside a
 * conversation, the channel identities it holds, and the merges the hub proposes. A merge never
 * touches conversations or messages: each conversation keeps its channel and reply window, only
 * the customer it points to changes; unmerging restores the split exactly.
 */

/** The longest free-text note about a customer. */
export const CUSTOMER_NOTE_MAX = 4000;

/** A customer as `customer.updated` carries it: the conversation snapshot's fields and more. */
export const customerProfileSchema = customerSchema.extend({
  /** What the team knows about the customer (free text, editable; never sent to them). */
  note: z.string(),
  /** The customer this one was merged into; null while it stands alone. */
  mergedInto: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

/** A channel's id for the customer (`customer_identities`): WhatsApp's number, Instagram's IGSID. */
export const customerIdentitySchema = z.object({
  channel: channelKindSchema,
  externalId: z.string(),
  /** The customer the identity came with: another one when it arrived through a merge. */
  ownerId: z.string(),
});
export type CustomerIdentity = z.infer<typeof customerIdentitySchema>;

/** Why the hub proposes merging two customers. */
export const mergeReasonSchema = z.enum(['phone', 'email']);
export type MergeReason = z.infer<typeof mergeReasonSchema>;

/** Another customer who looks like the same person (`GET /api/customers/:id/merge-candidates`). */
export const mergeCandidateSchema = z.object({
  customer: customerProfileSchema,
  reason: mergeReasonSchema,
  /** The value both share, as the hub compared it (E.164 phone, lower-case e-mail). */
  value: z.string(),
  /** The other customer's channels. */
  channels: z.array(channelKindSchema),
});
export type MergeCandidate = z.infer<typeof mergeCandidateSchema>;

/** `GET /api/customers/:id`: the profile with what it holds. */
export const customerViewSchema = z.object({
  customer: customerProfileSchema,
  identities: z.array(customerIdentitySchema),
  /** Every conversation with the customer (and the customers merged into it), newest first. */
  conversations: z.array(conversationSchema),
  /** The customers merged into this one, each one unmergeable. */
  merged: z.array(customerProfileSchema),
  candidates: z.array(mergeCandidateSchema),
});
export type CustomerView = z.infer<typeof customerViewSchema>;

/** An optional text field: absent leaves it, null or empty clears it, else it must match. */
const optionalField = (pattern: RegExp, what: string) =>
  z.string().trim().regex(pattern, what).or(z.literal('')).nullable().optional();

/** The fields `update_customer` may change; an absent field is left as it is, null clears it. */
export const customerChangesSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is needed').max(200).optional(),
    phone: optionalField(/^\+?[\d\s().\-/]{3,40}$/, 'a phone number (digits, spaces, + ( ) - . /)'),
    email: optionalField(/^[^\s@]{1,64}@[^\s@]{1,250}\.[^\s@]{2,}$/, 'an e-mail address'),
    language: optionalField(
      /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/,
      'a language tag such as en or pt-BR',
    ),
    country: optionalField(/^[A-Za-z]{2}$/, 'a two-letter country code such as NL'),
    note: z.string().max(CUSTOMER_NOTE_MAX).optional(),
  })
  .strict();
export type CustomerChanges = z.infer<typeof customerChangesSchema>;

export const updateCustomerCommandSchema = z.object({
  type: z.literal('update_customer'),
  customerId: z.string().min(1).max(100),
  changes: customerChangesSchema,
});
/** Merge `mergedId` into `customerId` (the one kept, usually the older). */
export const mergeCustomersCommandSchema = z.object({
  type: z.literal('merge_customers'),
  customerId: z.string().min(1).max(100),
  mergedId: z.string().min(1).max(100),
});
/** Undo the merge of `customerId` (a customer merged into another): the split as it was. */
export const unmergeCustomerCommandSchema = z.object({
  type: z.literal('unmerge_customer'),
  customerId: z.string().min(1).max(100),
});

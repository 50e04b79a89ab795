import type { Migration } from '../store/migrations';

/** Migrations of one customer across channels (issue #20 item 2): versions 820–839. */
export const CUSTOMER_MIGRATIONS: readonly Migration[] = [
  {
    version: 820,
    name: 'customer notes and merges',
    // A merge keeps both customer rows: the merged one points at the one kept (`merged_into`),
    // with the fields it filled in there (`merge_filled`, put back by an unmerge when unchanged);
    // each identity keeps the customer it came with (`owner_id`, null: the customer it points
    // to), so an unmerge gives every identity and conversation back. `name_locked`: an agent
    // named the customer (or a merge did), so a channel's profile name no longer renames them.
    sql: `
alter table customers add column note text not null default '';
alter table customers add column merged_into text references customers (id);
alter table customers add column merged_at bigint;
alter table customers add column merged_by text;
alter table customers add column merge_filled jsonb;
alter table customers add column name_locked boolean not null default false;
alter table customer_identities add column owner_id text references customers (id);
create index customers_merged_into_idx on customers (merged_into) where merged_into is not null;
-- Merge proposals look phones up by their last 8 digits, then compare them in E.164.
create index customers_phone_tail_idx on customers (right(regexp_replace(phone, '[^0-9]', '', 'g'), 8))
  where phone is not null;
create index customer_identities_customer_idx on customer_identities (customer_id);
create index conversations_customer_idx on conversations (customer_id);
`,
  },
];

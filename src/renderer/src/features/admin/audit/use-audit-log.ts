import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { auditPageSchema, type AuditEntry } from '../../../../../shared/protocol/audit';
import { clockNow } from '../../../app/clock';
import { useData } from '../../../data/hooks';
import { downloadBlob } from '../../../platform/save-file';
import { messageOf } from '../use-hub-resource';
import { auditQueryOf, type AuditFilters } from './audit-filters';

const PAGE = 100;

export interface AuditLogState {
  readonly filters: AuditFilters;
  setFilters(change: Partial<AuditFilters>): void;
  /** Newest first; null until the first page answers. */
  readonly entries: readonly AuditEntry[] | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** Older entries exist past those shown. */
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  loadMore(): void;
  reload(): void;
  readonly exporting: boolean;
  readonly exportError: string | null;
  exportCsv(): void;
}

/** The audit log page's state: filters, pages read from the hub, the CSV export. */
export function useAuditLog(now: () => number = clockNow): AuditLogState {
  const layer = useData();
  const [filters, setFilterState] = useState<AuditFilters>({
    actions: [],
    person: '',
    period: '30',
  });
  // Typing a name asks the hub once the typing pauses, not once a letter.
  const [person] = useDebouncedValue(filters.person, 300);
  const [round, setRound] = useState(0);
  /** The last answer, with the read it answers (`key`) and the query it was read with. */
  const [state, setState] = useState<{
    key: string;
    query: string;
    entries: readonly AuditEntry[] | null;
    next: string | null;
    error: string | null;
  }>({ key: '', query: '', entries: null, next: null, error: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const key = JSON.stringify([filters.actions, filters.period, person, round]);

  useEffect(() => {
    let current = true;
    const q = auditQueryOf({ ...filters, person }, now());
    q.set('limit', String(PAGE));
    const query = q.toString();
    layer.request('GET', `/api/admin/audit?${query}`, auditPageSchema).then(
      (page) => {
        if (current) setState({ key, query, entries: page.entries, next: page.next, error: null });
      },
      (error: unknown) => {
        if (current) setState((before) => ({ ...before, key, error: messageOf(error) }));
      },
    );
    return () => {
      current = false;
    };
    // The filters are in `key`; `now` is read when they change, not followed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layer, key]);

  const loadMore = useCallback(() => {
    const { next } = state;
    if (next === null || loadingMore) return;
    setLoadingMore(true);
    const q = new URLSearchParams(state.query);
    q.set('before', next);
    layer.request('GET', `/api/admin/audit?${q}`, auditPageSchema).then(
      (page) => {
        setState((before) => ({
          ...before,
          entries: [...(before.entries ?? []), ...page.entries],
          next: page.next,
          error: null,
        }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        setState((before) => ({ ...before, error: messageOf(error) }));
        setLoadingMore(false);
      },
    );
  }, [layer, state, loadingMore]);

  const exportCsv = useCallback(() => {
    setExporting(true);
    setExportError(null);
    const q = auditQueryOf(filters, now());
    layer.download(`/api/admin/audit/export?${q}`).then(
      ({ blob, filename }) => {
        downloadBlob(blob, filename ?? 'replydesk-audit.csv');
        setExporting(false);
      },
      (error: unknown) => {
        setExportError(messageOf(error));
        setExporting(false);
      },
    );
  }, [layer, filters, now]);

  return {
    filters,
    setFilters: (change) => setFilterState((before) => ({ ...before, ...change })),
    entries: state.entries,
    loading: state.key !== key,
    error: state.error,
    hasMore: state.next !== null,
    loadingMore,
    loadMore,
    reload: () => setRound((r) => r + 1),
    exporting,
    exportError,
    exportCsv,
  };
}

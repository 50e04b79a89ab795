import { searchAnswerSchema, type SearchAnswer } from '../../../shared/protocol/search';
import type { DataLayer } from './data-layer';

/**
 * Ask the hub's full-text search (`GET /api/search`, issue #20 item 4) for the messages and
 * customers matching `text`, through the signed-in user's hub request. Rejects when the hub cannot
 * be reached or refuses (offline, 429, 5xx): the caller says the hub could not be searched.
 */
export function searchHub(
  layer: Pick<DataLayer, 'request'>,
  text: string,
  limit = 20,
): Promise<SearchAnswer> {
  const query = new URLSearchParams({ q: text, limit: String(limit) });
  return layer.request('GET', `/api/search?${query.toString()}`, searchAnswerSchema);
}

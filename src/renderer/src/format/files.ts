/** How files are described to people: sizes, lengths, kinds. */

/**
 * `1.2 MB`, `340 KB`, `12 bytes`. Binary steps named KB/MB, as the platforms name their limits
 * ("WhatsApp image 5 MB" is 5 × 1024 × 1024 bytes), so a file and the limit it breaks read alike.
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** `0:07`, `3:05`, `1:02:09`: a recording's length; `--:--` while it is unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '--:--';
  }
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const DOCUMENT_TYPES: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'text/plain': 'Text',
  'text/csv': 'CSV',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/zip': 'ZIP',
};

/** `PDF`, `Word`, `PNG`…: a file's kind in a word, from its type, else its extension. */
export function fileTypeLabel(mimeType: string | null, filename: string | null): string {
  const type = mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const known = DOCUMENT_TYPES[type];
  if (known) return known;
  const extension = /\.([a-z0-9]{1,8})$/i.exec(filename ?? '')?.[1];
  if (extension) return extension.toUpperCase();
  const subtype = type.split('/')[1];
  return subtype && subtype.length <= 8 ? subtype.toUpperCase() : 'File';
}

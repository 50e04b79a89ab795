import type { ChannelMedia } from '../channels/types';
import { sha256Of } from '../media/store';
import {
  demoImage,
  demoPdf,
  demoVoiceNote,
  type DemoDocument,
  type DemoFile,
  type DemoImage,
} from './demo-files';

const IMAGES: readonly string[] = [
  'parcel',
  'damaged',
  'wrongItem',
  'tracking',
  'payment',
  'product',
];
const DOCUMENTS: readonly string[] = ['receipt', 'bankStatement', 'returnForm', 'booking'];

/**
 * The demo channels' media part: the files the simulated customers "send" come from
 * `demo-files.ts` (the simulator names the subject at the end of the media id,
 * `demo-media.<seed>.<stamp>.<n>.<subject>`), through the same download worker, checks and
 * store as a real channel's; an agent's upload gets a demo id. Made once, shared by the channels.
 */
export function createDemoMedia(): ChannelMedia {
  const cache = new Map<string, DemoFile>();
  const fileFor = (mediaId: string, mimeType: string): DemoFile => {
    const subject = mediaId.split('.').pop() ?? '';
    const key = mimeType.startsWith('image/')
      ? `image:${IMAGES.includes(subject) ? subject : 'parcel'}`
      : mimeType === 'application/pdf'
        ? `pdf:${DOCUMENTS.includes(subject) ? subject : 'receipt'}`
        : 'voice';
    let file = cache.get(key);
    if (!file) {
      const [kind, name] = key.split(':') as [string, string];
      file =
        kind === 'image'
          ? demoImage(name as DemoImage)
          : kind === 'pdf'
            ? demoPdf(name as DemoDocument)
            : demoVoiceNote();
      cache.set(key, file);
    }
    return file;
  };
  return {
    download(media) {
      const file = fileFor(media.mediaId, media.mimeType ?? '');
      return Promise.resolve({
        bytes: file.bytes,
        mimeType: file.mimeType,
        filename: media.filename ?? file.name,
      });
    },
    upload(file) {
      return Promise.resolve({
        channelMediaId: `demo-upload.${sha256Of(file.bytes).slice(0, 16)}`,
      });
    },
  };
}

export { Composer, type ComposerProps } from './Composer';
export { buildTemplateContext, type TemplateContextInput } from './context';
export type { SendKey } from './send-key';
export type { AttachHandler, ComposerHandle, NoteHandler, SendHandler, SendOptions } from './types';
export type { StagedFile } from './attachments';

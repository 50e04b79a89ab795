export { Composer, type ComposerProps } from './Composer';
export { buildTemplateContext, type TemplateContextInput } from './context';
export type { SendKey } from './send-key';
export type { AttachHandler, ComposerHandle, SendHandler, SendOptions } from './types';
export type { StagedFile } from './attachments';

export { Composer, type ComposerProps } from './Composer';
export { buildTemplateContext, type TemplateContextInput } from './context';
export type { SendKey } from './send-key';
export type { ComposerHandle, SendHandler, SendOptions } from './types';

export { HubResults, type HubResultsProps } from './HubResults';
export { useOpenAtMessage } from './useOpenAtMessage';

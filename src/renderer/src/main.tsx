import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { App } from './app/App';
import { AttentionNotifications } from './features/attention/useAttention';
import { theme } from './app/theme';
import { preferencesColorSchemeManager } from './features/settings/preferences';
import { getDesktopApi } from './platform/desktop';
import { SaveFileContext, saveFileVia } from './platform/save-file';
import { hubUrlOf } from './app/useHubStatus';
import { openCacheEarly } from './data/early-cache';
import { sessionStoreFor } from './features/session/session';
import { registerShellWorker } from './sw/register';

const desktop = getDesktopApi();
// A session this tab already has (kept over a reload): open its cache while React boots.
const pageHubUrl = hubUrlOf(window.location);
const kept = desktop === null && pageHubUrl !== null ? sessionStoreFor(null).peek() : null;
if (pageHubUrl !== null && kept !== null) openCacheEarly(pageHubUrl, kept.user.id);

// The browser build keeps its files for opening while the hub is down (docs/configuration.md).
registerShellWorker(desktop !== null);

const container = document.getElementById('root');
if (!container) throw new Error('Replydesk: #root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    {/* Light and dark follow the operating system unless the agent chose one in the settings. */}
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      colorSchemeManager={preferencesColorSchemeManager()}
    >
      <AttentionNotifications />
      <SaveFileContext value={saveFileVia(desktop)}>
        <App desktop={desktop} />
      </SaveFileContext>
    </MantineProvider>
  </StrictMode>,
);

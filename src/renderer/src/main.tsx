import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { App } from './app/App';
import { theme } from './app/theme';
import { getDesktopApi } from './platform/desktop';

const container = document.getElementById('root');
if (!container) throw new Error('Replydesk: #root is missing from index.html');

createRoot(container).render(
  <StrictMode>
    {/* Light and dark follow the operating system. */}
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <App desktop={getDesktopApi()} />
    </MantineProvider>
  </StrictMode>,
);

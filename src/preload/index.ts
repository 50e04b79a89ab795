import { contextBridge, ipcRenderer } from 'electron';
import { DESKTOP_API_GLOBAL } from '../shared/ipc/contract';
import { createDesktopApi } from './api';

// Context isolation is always on (src/main/window.ts), so exposing through the bridge is the
// only way in; `ipcRenderer` itself never reaches the page.
contextBridge.exposeInMainWorld(DESKTOP_API_GLOBAL, createDesktopApi(ipcRenderer));

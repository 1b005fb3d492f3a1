// Electron preload (sandboxed): exposes the contract as window.forcesites and nothing more.
import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadApi } from './preload-api';

contextBridge.exposeInMainWorld('forcesites', createPreloadApi(ipcRenderer));

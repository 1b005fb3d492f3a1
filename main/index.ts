// Electron entry. Everything Electron-specific lives in main/electron/; the app itself is plain Node.
import './electron/electron-main';

// The last file, remembered where the browser allows it: a file opened
// through the File System Access picker, or dropped (Chromium gives drops a
// handle), is kept as its handle in IndexedDB (never its bytes); the next
// visit offers "Reopen NAME", which asks the browser for permission to
// read it again. Where there is no such API (Firefox, Safari) nothing is
// remembered and the button never shows.
import { $, message } from './dom.js';

const DB = 'marcato-viewer';
const STORE = 'recent';

function db() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function store(mode, fn) {
  const d = await db();
  try {
    return await new Promise((resolve, reject) => {
      const t = d.transaction(STORE, mode);
      const r = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
    });
  } finally {
    d.close();
  }
}

/** Can this browser give files as handles worth remembering? */
export const canRemember = () => typeof window.showOpenFilePicker === 'function' && typeof indexedDB !== 'undefined';

/** Remember `handle` (a FileSystemFileHandle) as the last file. */
export async function remember(handle) {
  try {
    await store('readwrite', (s) => s.put(handle, 'last'));
  } catch {
    // Private windows and some settings refuse storage: nothing to remember.
  }
}

/** The last file's handle, or null. */
async function last() {
  try {
    return (await store('readonly', (s) => s.get('last'))) ?? null;
  } catch {
    return null;
  }
}

/** Offer the last file on the "Reopen" button; `open(file)` opens it. */
export async function offerReopen(open) {
  const handle = await last();
  const button = $('reopen');
  if (!handle || handle.kind !== 'file') return;
  button.textContent = `Reopen ${handle.name}`;
  button.hidden = false;
  button.onclick = async () => {
    try {
      let p = await handle.queryPermission?.({ mode: 'read' });
      if (p !== 'granted') p = await handle.requestPermission?.({ mode: 'read' });
      if (p && p !== 'granted') {
        message(`The browser did not allow reading ${handle.name} again: open it with "Open file…".`, 'warn');
        return;
      }
      open(await handle.getFile());
    } catch (e) {
      message(`${handle.name} cannot be opened again (${e.message}): open it with "Open file…".`, 'warn');
    }
  };
}

/** "Open file…" through the File System Access picker where there is one
 * (the handle is remembered); elsewhere the label opens the file input. */
export function usePicker(open) {
  if (!canRemember()) return;
  $('open-label').addEventListener('click', async (e) => {
    e.preventDefault();
    let handle;
    try {
      [handle] = await window.showOpenFilePicker({ multiple: false });
    } catch {
      return; // cancelled
    }
    remember(handle);
    open(await handle.getFile());
  });
}

/** A drop: remember the dropped file's handle when the browser gives one
 * (to be called while the drop event is being handled). */
export function rememberDrop(dataTransfer) {
  const item = dataTransfer?.items?.[0];
  if (!canRemember() || !item || typeof item.getAsFileSystemHandle !== 'function') return;
  item.getAsFileSystemHandle().then((h) => { if (h && h.kind === 'file') remember(h); }, () => {});
}

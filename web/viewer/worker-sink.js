// Where an export's bytes go, a piece at a time, so that memory stays
// bounded however big the file: a file the user chose (File System Access
// API: the page asks for the handle, the worker writes to it), else a file
// in the origin's private file system (OPFS; the page then downloads that
// disk-backed File), else a Blob grown from parts (the browser may keep
// big Blobs on disk; the worker holds at most one part).
const PIECE = 1 << 20; // bytes gathered before one write
const BLOB_PART = 32 << 20; // the fallback's parts
const PREFIX = 'marcato-export-';

/** A sink: `await s.write(u8)` (any size), `await s.close()` resolves to
 * {file} (to download) or {saved: true} (written where the user chose);
 * `s.abort()` drops what was written; `s.bytes` counts them; `s.kind`. */
export async function openSink(handle, mime) {
  const target = handle ? await handleTarget(handle) : (await opfsTarget()) ?? blobTarget(mime);
  let piece = new Uint8Array(PIECE);
  let used = 0;
  const sink = {
    kind: target.kind,
    bytes: 0,
    async write(u8) {
      sink.bytes += u8.length;
      if (used + u8.length > PIECE) await flush();
      if (u8.length >= PIECE) await target.write(u8.slice());
      else {
        piece.set(u8, used);
        used += u8.length;
      }
    },
    async close() {
      await flush();
      piece = null;
      return target.close();
    },
    abort() {
      piece = null;
      return target.abort();
    },
  };
  async function flush() {
    if (!used) return;
    await target.write(piece.slice(0, used));
    used = 0;
  }
  return sink;
}

async function handleTarget(handle) {
  const w = await handle.createWritable();
  return {
    kind: 'chosen file',
    write: (u8) => w.write(u8),
    async close() { await w.close(); return { saved: true }; },
    abort: () => w.abort(),
  };
}

// OPFS with a synchronous access handle (workers only). Earlier exports'
// files are removed first: their downloads have long finished.
async function opfsTarget() {
  let dir, fh, h;
  try {
    dir = await navigator.storage.getDirectory();
    const old = [];
    for await (const name of dir.keys()) if (name.startsWith(PREFIX)) old.push(name);
    for (const name of old) await dir.removeEntry(name).catch(() => {});
    const name = `${PREFIX}${Date.now()}`;
    fh = await dir.getFileHandle(name, { create: true });
    h = await fh.createSyncAccessHandle();
  } catch {
    return null; // no OPFS here (or no sync handles): the Blob fallback
  }
  let at = 0;
  return {
    kind: 'private file',
    write(u8) {
      let done = 0;
      while (done < u8.length) done += h.write(u8.subarray(done), { at: at + done });
      at += u8.length;
    },
    async close() {
      h.flush();
      h.close();
      return { file: await fh.getFile() };
    },
    async abort() {
      h.close();
      await dir.removeEntry(fh.name).catch(() => {});
    },
  };
}

function blobTarget(mime) {
  let blob = new Blob([], { type: mime });
  let parts = [], size = 0;
  const merge = () => {
    blob = new Blob([blob, ...parts], { type: mime });
    parts = [];
    size = 0;
  };
  return {
    kind: 'memory',
    write(u8) {
      parts.push(u8);
      size += u8.length;
      if (size >= BLOB_PART) merge();
    },
    close() {
      merge();
      return { file: blob };
    },
    abort() { parts = []; },
  };
}

// The threaded reader: records(source, {threads: N}) decodes ISO 2709 on
// N - 1 workers of the pthreads module (the native pipeline on shared
// memory) while the calling thread builds the JS objects. This module
// holds the policy (when and how the module is loaded) and the decoder
// that read.js's drive loop runs; the calls into wasm are in wasm.js.

import { platform } from './platform.js';
import { threadsSupported } from './start.js';
import { loadThreads, PipelineRun, terminateThreadWorkers, tQueryCompile, tQueryFree } from './wasm.js';
import { filterText } from './query.js';
import { decodeBatch } from './record.js';
import { runValidation } from './validate.js';

let loading = null;
let failed = null; // why the threaded module cannot be used

// `threads` counts the calling thread, which builds the JS objects while
// the workers decode: on 2 cores, 1 worker beside it reads real-all.mrc
// with every subfield in 26 ms, 2 workers (3 busy threads) in 29 ms.
function workersFor(threads) { return Math.max(1, threads - 1); }

/** Load the threaded module once (false when it cannot be used: the
 * caller falls back to the single-threaded module). */
export async function threadsReady(threads) {
  if (failed || !threadsSupported()) return false;
  if (!loading) {
    loading = (async () => {
      try {
        await loadThreads(await platform.threadsModuleArgs({}), Math.max(workersFor(threads) + 2, 4));
        return true;
      } catch (e) {
        failed = e;
        return false;
      }
    })();
  }
  return loading;
}

/** Stop the threaded module's workers (they are started again when
 * needed). Node exits without it; call it to free the memory. */
export function terminateThreads() { terminateThreadWorkers(); }

/** Why the threaded module is not used, or null. */
export function threadsError() { return failed; }

/** One pipeline run as read.js's drive loop runs a decoder; o.filter and
 * o.validate (with o.schema) apply in the workers. */
export class ThreadedDecoder {
  constructor(o) {
    this.q = o.filter == null ? 0 : tQueryCompile(filterText(o.filter));
    this.v = null;
    try {
      this.run = new PipelineRun(workersFor(o.threads), o, this.q);
    } catch (e) {
      if (this.q) tQueryFree(this.q);
      throw e;
    }
    try {
      if (o.validate) this.v = runValidation(this.run, o);
    } catch (e) {
      this.close(false).catch(() => {});
      throw e;
    }
  }
  mark() { return this.run.state(); }
  feed(piece) { return this.run.input(piece); }
  take() {
    const raw = this.run.take();
    return raw === null ? null : decodeBatch(raw);
  }
  finish() { this.run.finish(); }
  done() { return this.run.done(); }
  wait(seen) { return this.run.wait(seen); }
  async close(completed) {
    await this.run.close(!completed);
    if (this.q) tQueryFree(this.q);
    this.v?.release();
  }
}

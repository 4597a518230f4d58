// Web streams: MarcDecoderStream (bytes in, records out) and
// MarcEncoderStream (records in, bytes out), for pipeThrough.

import { init } from './start.js';
import { records } from './read.js';
import { writer } from './write.js';

/** A TransformStream-shaped pair for pipeThrough: bytes in, records out.
 *   for await (const rec of file.stream().pipeThrough(new MarcDecoderStream())) ...
 * Takes the options of records(). */
export class MarcDecoderStream {
  constructor(opts) {
    const pass = new TransformStream();
    this.writable = pass.writable;
    let it = null;
    this.readable = new ReadableStream({
      async pull(controller) {
        it ??= records(pass.readable, opts);
        const r = await it.next();
        if (r.done) controller.close();
        else controller.enqueue(r.value);
      },
      async cancel() { await it?.return(); },
    }, { highWaterMark: 0 });
  }
}

/** Records in, bytes out, in one format (see writer()):
 *   recordStream.pipeThrough(new MarcEncoderStream('marcxml')) */
export class MarcEncoderStream extends TransformStream {
  constructor(format = 'iso2709', opts) {
    let w;
    super({
      async start() { await init(); w = writer(format, opts); },
      transform(rec, controller) { controller.enqueue(w.write(rec)); },
      flush(controller) { const tail = w.end(); if (tail.length) controller.enqueue(tail); },
    });
  }
}

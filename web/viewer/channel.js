// The page's side of the messages with the worker (names in protocol.js):
// start the worker, route its messages to handlers, and requests that wait
// for their REPLY.
import { MSG, send } from './protocol.js';

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'marcato' });
const handlers = new Map(); // message type -> function(message)
const pending = new Map(); // reqId -> resolve
let lastReq = 0;

worker.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === MSG.REPLY) {
    const resolve = pending.get(m.reqId);
    pending.delete(m.reqId);
    resolve?.(m);
    return;
  }
  handlers.get(m.type)?.(m);
};

/** Call `fn(message)` for each message of `type` from the worker. */
export function on(type, fn) {
  if (!Object.values(MSG).includes(type)) throw new Error(`no message named ${type}`);
  handlers.set(type, fn);
}

/** Call `fn(error)` if the worker fails to start or throws. */
export function onWorkerError(fn) {
  worker.onerror = fn;
}

/** Post a message to the worker. */
export function post(type, fields, transfer) {
  send(worker, type, fields, transfer);
}

/** Post a request and wait for its REPLY. */
export function request(type, fields) {
  const reqId = ++lastReq;
  return new Promise((resolve) => {
    pending.set(reqId, resolve);
    send(worker, type, { ...fields, reqId });
  });
}

#!/usr/bin/env node
// Serve the package directory (web/) for the MARC viewer: a static file
// server with no logic of its own. The viewer lives at /viewer/ and imports
// ../src/browser.js and ../dist/*.
//
//   node web/viewer/serve.mjs [--port N] [--host H] [--no-isolation]
//
// By default every response carries Cross-Origin-Opener-Policy and
// Cross-Origin-Embedder-Policy, so the page is crossOriginIsolated and the
// package can use its threaded (SharedArrayBuffer) build; --no-isolation
// leaves them out to exercise the single-threaded fallback. A
// Content-Security-Policy forbids inline script, inline styles in markup,
// plug-ins and any network access but this origin. --port 0 picks a free
// port; the first line printed is "listening on http://HOST:PORT/viewer/".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.mrc': 'application/marc',
  '.xml': 'application/xml; charset=utf-8',
};

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parseArgs(argv) {
  const o = { port: 8080, host: '127.0.0.1', isolation: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') o.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) o.port = Number(a.slice(7));
    else if (a === '--host') o.host = argv[++i];
    else if (a === '--no-isolation') o.isolation = false;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node web/viewer/serve.mjs [--port N] [--host H] [--no-isolation]\n');
      process.exit(0);
    } else {
      process.stderr.write(`serve: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
    process.stderr.write('serve: --port wants a number 0..65535\n');
    process.exit(2);
  }
  return o;
}

export function createServer({ isolation = true, root = ROOT } = {}) {
  return http.createServer((req, res) => {
    const headers = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
    };
    if (isolation) {
      headers['Cross-Origin-Opener-Policy'] = 'same-origin';
      headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let url;
    try {
      url = new URL(req.url, 'http://localhost');
    } catch {
      res.writeHead(400, headers);
      res.end();
      return;
    }
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, headers);
      res.end();
      return;
    }
    if (rel === '/' || rel === '/viewer') {
      res.writeHead(302, { ...headers, Location: '/viewer/' });
      res.end();
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, '.' + rel);
    // Nothing outside web/, nothing hidden, no node_modules.
    if (!file.startsWith(root + path.sep) || rel.includes('\0') ||
        /(^|\/)\.|(^|\/)node_modules(\/|$)/.test(rel)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' });
        res.end('not found\n');
        return;
      }
      const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': st.size });
      if (req.method === 'HEAD') { res.end(); return; }
      fs.createReadStream(file).pipe(res);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  const server = createServer(o);
  server.listen(o.port, o.host, () => {
    const { port } = server.address();
    process.stdout.write(`listening on http://${o.host}:${port}/viewer/` +
      (o.isolation ? ' (crossOriginIsolated)' : ' (no isolation headers)') + '\n');
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

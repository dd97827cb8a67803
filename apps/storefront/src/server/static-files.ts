import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt', '.map']);

/**
 * The app's pages are client-side routes; the browser gets them all from
 * index.html. The API and every asset are the only other things it loads.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

interface CachedFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  cacheControl: string;
}

/**
 * Vite's build output, served from memory once read. Hashed assets under
 * /assets/ never change, so browsers may keep them for a year; index.html is
 * revalidated every time so a new build is picked up at once. Any other path
 * without a file extension is a client-side route: index.html (SPA fallback).
 */
export class StaticFiles {
  private readonly cache = new Map<string, CachedFile>();
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Whether the build output is there (checked at start: a server with no pages is a build mistake). */
  get built(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    let file = this.read(pathname);
    if (!file && !extname(pathname)) file = this.read('/index.html');
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end('not found\n');
      return;
    }
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? (file.gzip as Buffer) : file.body;
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': body.length,
      'cache-control': file.cacheControl,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...SECURITY_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private read(pathname: string): CachedFile | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    // Refuse anything that would leave the build folder (`..`, encoded or not, NUL bytes).
    if (decoded.includes('\0')) return undefined;
    const full = normalize(join(this.dir, decoded));
    if (!full.startsWith(this.dir.endsWith(sep) ? this.dir : this.dir + sep)) return undefined;
    // Keyed by the resolved file, so spellings of one path share an entry and the cache holds at most the build.
    const cached = this.cache.get(full);
    if (cached) return cached;
    try {
      if (!statSync(full).isFile()) return undefined;
    } catch {
      return undefined;
    }
    const ext = extname(full);
    const body = readFileSync(full);
    const file: CachedFile = {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : undefined,
      type: TYPES[ext] ?? 'application/octet-stream',
      cacheControl: full.startsWith(join(this.dir, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    this.cache.set(full, file);
    return file;
  }
}

/**
 * Serves the operator dashboard (web/, built by Vite into dist/web) at `/`: static files only,
 * nothing from a CDN, so it works on a machine without internet. The page talks to the public
 * REST API like any other client. Without a build, `/` says how to make one.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** dist/web seen from dist/http (the installed server) and from src/http (tests run the sources). */
export function findDashboardDir(): string | null {
  for (const rel of ['../web/', '../../dist/web/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Efact</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Efact is running</h1><p>The dashboard has not been built in this copy. Run <code>npm run build</code> and reload.
The REST API works meanwhile: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></body></html>`;

export async function registerDashboard(app: FastifyInstance, dir: string | null = findDashboardDir()): Promise<void> {
  if (dir === null) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    // Vite names assets by content hash: they never change under the same name.
    setHeaders(res, file) {
      res.header('cache-control', file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

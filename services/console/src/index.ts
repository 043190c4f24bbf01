/**
 * Serves the web console's shipped assets (public/: hand-written ES modules, no build step) at /console.
 * The assets carry no data: every API call the console makes still needs a bearer token.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

/** public/ sits beside src/ and dist/, so the same relative path works from the sources and the build. */
export const consoleAssetsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

export default fp(
  async (app) => {
    await app.register(fastifyStatic, {
      root: consoleAssetsDir,
      prefix: '/console/',
      index: ['index.html'],
      // Files change only with a release; a revalidation (ETag) is cheap and never serves a stale console.
      cacheControl: true,
      maxAge: 0,
      etag: true,
      lastModified: true,
      preCompressed: false,
    });
    // `/console` → `/console/`, so the page's relative module URLs resolve under the prefix. Public through the
    // API's publicPrefixes, like the assets.
    // `hide` is @fastify/swagger's extension of the schema; this package does not depend on swagger's types.
    const hiddenFromOpenApi = { hide: true } as FastifySchema;
    app.get('/console', { schema: hiddenFromOpenApi }, (_request, reply) => reply.redirect('/console/'));
    // The site root has nothing of its own: a browser opening the engine's address lands on the console (302,
    // so the root stays free for something else later). Public through the API's publicPaths.
    app.get('/', { schema: hiddenFromOpenApi }, (_request, reply) => reply.redirect('/console/'));
  },
  { name: 'console', dependencies: ['access-control', 'security'] },
);

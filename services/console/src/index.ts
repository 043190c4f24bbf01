/**
 * Serves the web console's shipped assets (public/: hand-written ES modules, no build step) at /console, and
 * the one library it uses, the OpenID Connect client oauth4webapi, at /console/vendor/oauth4webapi.js.
 * The assets carry no data: every API call the console makes still needs a bearer token.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';

/** public/ sits beside src/ and dist/, so the same relative path works from the sources and the build. */
export const consoleAssetsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** The fixed path the console imports the OpenID Connect client from (public/js/oidc.js names it too). */
export const OIDC_LIBRARY_PATH = '/console/vendor/oauth4webapi.js';

/**
 * oauth4webapi's ESM build: one file, no imports, so it is served from node_modules as the package ships it
 * (no bundler, nothing vendored into the repository). Its source-map comment is dropped: the map is not served.
 */
function oidcLibrary(): { body: string; etag: string } {
  const file = createRequire(import.meta.url).resolve('oauth4webapi');
  const body = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

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
    const library = oidcLibrary();
    app.get(OIDC_LIBRARY_PATH, { schema: hiddenFromOpenApi }, (request, reply) => {
      reply.header('cache-control', 'public, max-age=0').header('etag', library.etag);
      if (request.headers['if-none-match'] === library.etag) return reply.status(304).send();
      return reply.type('text/javascript; charset=utf-8').send(library.body);
    });
    app.get('/console', { schema: hiddenFromOpenApi }, (_request, reply) => reply.redirect('/console/'));
    // The site root has nothing of its own: a browser opening the engine's address lands on the console (302,
    // so the root stays free for something else later). Public through the API's publicPaths.
    app.get('/', { schema: hiddenFromOpenApi }, (_request, reply) => reply.redirect('/console/'));
  },
  { name: 'console', dependencies: ['access-control', 'security'] },
);

/** The OpenAPI 3.1 document, generated from the routes' zod schemas, at /openapi.json; Swagger UI at /docs. */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Harm Reduction Unit referral engine',
          version: '0.1.0',
          description:
            'Intake from crime recording systems, the referral lifecycle, urgent alerts, read models and audit. ' +
            'Errors are RFC 9457 problem+json. Reads of personal data need an X-Justification header and are logged (DPA 2018 s62).\n\n' +
            'Beyond the contract the engine started from (the README lists every difference): GET /metrics needs an admin token; alert items, webhook bodies and stream events carry `tier` ' +
            'beside `level`; GET /v1/alerts answers {items, position} (open the stream at ?after=position to miss nothing); ' +
            'POST /v1/referrals/:id/disclosures records disclosures with recipients and gateway; POST /v1/dev/token exists only in development.',
        },
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Staff: claims sub, name, roles, agency' },
            apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Source systems: `ApiKey <key>`' },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: (input) => optionalBodies(jsonSchemaTransformObject(input)),
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { config: { access: { public: true } }, schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);

interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { anyOf?: { type?: unknown }[] } }> };
}

/**
 * @fastify/swagger marks every request body required, but a body schema that admits null (zod's `.nullish()`;
 * fastify validates a request without a body as null) is one a request may leave out: the document says so.
 */
function optionalBodies<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, Operation | undefined>> }).paths ?? {};
  for (const operation of Object.values(paths).flatMap((item) => Object.values(item))) {
    const body = operation?.requestBody;
    const schemas = Object.values(body?.content ?? {}).map((media) => media.schema);
    if (body && schemas.length > 0 && schemas.every((schema) => schema?.anyOf?.some((option) => option.type === 'null'))) body.required = false;
  }
  return document;
}

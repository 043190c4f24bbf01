/**
 * The API as a Fastify plugin tree, as in fastify/demo: infrastructure plugins first (errors, ids, auth,
 * security, metrics, OpenAPI), then routes. Everything the routes need arrives in `ApiDeps`.
 */
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import accessControl from './plugins/access-control.js';
import metricsPlugin from './plugins/metrics.js';
import openapi from './plugins/openapi.js';
import problemDetails from './plugins/problem-details.js';
import requestContext, { REQUEST_ID_LOG_LABEL, requestIdOf, requestLoggerFactory } from './plugins/request-context.js';
import security, { securityHeaders } from './plugins/security.js';
import justificationHeader from './plugins/justification-header.js';
import { OneLinePerRequest } from './plugins/request-log.js';
import type { ApiDeps } from './deps.js';
import { operationsRoutes } from './routes/operations.js';
import { intakeRoutes } from './routes/intake.js';
import { referralRoutes } from './routes/referrals.js';
import { commandRoutes } from './routes/commands.js';
import { historyRoutes } from './routes/history.js';
import { historyStateRoutes } from './routes/history-state.js';
import { auditRoutes } from './routes/audit.js';
import { alertRoutes } from './routes/alerts.js';
import { devSignInRoutes } from './routes/dev-sign-in.js';
import { signInConfigRoutes } from './routes/sign-in-config.js';
import { readModelRoutes } from './routes/read-models.js';
import { caseloadRoutes } from './routes/caseload.js';
import { statsExtraRoutes } from './routes/stats-extra.js';
import { deadlineRoutes } from './routes/deadlines.js';
import { valueForMoneyRoutes } from './routes/value-for-money.js';
import { disclosureRoutes } from './routes/disclosures.js';
import { peopleRoutes } from './routes/people.js';
import { researchRoutes } from './routes/research.js';
import { retentionRoutes } from './routes/retention.js';
import { perpetratorRoutes } from './routes/perpetrators.js';
import { taskingRoutes } from './routes/tasking.js';

export interface AppOptions {
  /** Largest accepted request body. The intake body (summary ≤ 20,000 characters) fits well inside. */
  bodyLimitBytes?: number;
  rateLimitPerMinute?: number;
  /**
   * Served beside the API, behind the same security plugins: the web console. The composition root hands it
   * over, so the API depends on no other service.
   */
  alongside?: readonly FastifyPluginAsync[];
}

export async function buildApp(deps: ApiDeps, options: AppOptions = {}) {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: options.bodyLimitBytes ?? 256 * 1024,
    genReqId: requestIdOf,
    childLoggerFactory: requestLoggerFactory,
    logController: new OneLinePerRequest({ requestIdLogLabel: REQUEST_ID_LOG_LABEL }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: any other body type is refused with 415 rather than parsed into a string.
  app.removeContentTypeParser('text/plain');

  await app.register(problemDetails);
  // The console calls the OpenID provider itself (discovery, token endpoint): its origin joins connect-src.
  await app.register(securityHeaders, { connectSources: deps.config.oidc ? [new URL(deps.config.oidc.issuer).origin] : [] });
  await app.register(requestContext);
  await app.register(justificationHeader);
  await app.register(accessControl, { verifyToken: deps.verifyToken, sourceKeys: deps.config.sourceKeys, authFailuresPerMinute: deps.config.authFailuresPerMinute });
  await app.register(security, { rateLimitPerMinute: options.rateLimitPerMinute ?? 6_000 });
  await app.register(metricsPlugin, { metrics: deps.metrics });
  await app.register(openapi);

  await app.register(operationsRoutes, { readinessChecks: deps.readinessChecks });
  await app.register(intakeRoutes, { deps });
  await app.register(referralRoutes, { deps });
  await app.register(commandRoutes, { deps });
  await app.register(historyRoutes, { deps });
  await app.register(historyStateRoutes, { deps });
  await app.register(auditRoutes, { deps });
  await app.register(alertRoutes, { deps });
  await app.register(devSignInRoutes, { deps });
  await app.register(signInConfigRoutes, { deps });
  for (const plugin of options.alongside ?? []) await app.register(plugin);
  await app.register(readModelRoutes, { deps });
  await app.register(caseloadRoutes, { deps });
  await app.register(statsExtraRoutes, { deps });
  await app.register(deadlineRoutes, { deps });
  await app.register(valueForMoneyRoutes, { deps });
  await app.register(disclosureRoutes, { deps });
  await app.register(peopleRoutes, { deps });
  await app.register(researchRoutes, { deps });
  await app.register(retentionRoutes, { deps });
  await app.register(perpetratorRoutes, { deps });
  await app.register(taskingRoutes, { deps });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

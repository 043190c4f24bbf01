/**
 * GET /v1/sign-in/config: how the console signs staff in, before anyone is signed in (so it is public). Only
 * public client settings: the OpenID provider's issuer, the console's client id (a public client, no secret),
 * scopes and audience, and which other ways are offered. Nothing here identifies a person or a case.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonProblems } from '../schemas/problem.js';
import type { ApiDeps } from '../deps.js';
import { devSignInEnabled } from './dev-sign-in.js';

export const signInConfigSchema = z.object({
  oidc: z
    .object({
      issuer: z.string().describe('The OpenID provider; its discovery document is at <issuer>/.well-known/openid-configuration'),
      clientId: z.string().describe('The console’s client id: a public client, authorisation code with PKCE'),
      scopes: z.array(z.string()),
      audience: z.string().describe('The aud of the access tokens the engine accepts'),
      resourceIndicator: z.boolean().describe('Send the audience as an RFC 8707 resource parameter'),
      providerName: z.string().describe('Shown as “Sign in with <providerName>”'),
    })
    .nullable()
    .describe('Single sign-on, or null when no OpenID provider is configured'),
  tokenForm: z.boolean().describe('Whether the console offers pasting a bearer token (HRU_SIGN_IN_TOKEN_FORM)'),
  devSignIn: z.boolean().describe('Whether POST /v1/dev/token exists (development only)'),
});

export const signInConfigRoutes: FastifyPluginAsync<{ deps: ApiDeps }> = async (app, { deps }) => {
  const { config } = deps;
  // Fixed at start: computed once, the same for every caller.
  const reply = {
    oidc: config.oidc ? { ...config.oidc, scopes: [...config.oidc.scopes] } : null,
    tokenForm: config.signInTokenForm,
    devSignIn: devSignInEnabled(config),
  };
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/sign-in/config',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['sign-in'],
        summary: 'How the console signs in: the OpenID provider and public client settings (no secrets)',
        response: { 200: signInConfigSchema, ...commonProblems },
      },
    },
    async () => reply,
  );
};

import type { FastifyInstance } from 'fastify';

/** Where platforms send a person back after consent (INTEGRATION_REDIRECT_URI's default points here). */
export const OAUTH_CALLBACK_PATH = '/integrations/oauth/callback';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The page a platform's consent redirect lands on. The redirect carries no credentials of ours (a browser navigation
 * has no bearer token), so the page does not complete the connection itself: it hands the code and state to the
 * person, or to the web app, which completes it with their session (completePlatformConnection). The code is useless
 * without the PKCE verifier, which never leaves the auth service.
 */
export function registerOAuthCallbackPage(app: FastifyInstance, options: { webApp: boolean }): void {
  app.get(OAUTH_CALLBACK_PATH, async (request, reply) => {
    // The web app completes the connection itself, with the person's session: hand the query over to its page.
    if (options.webApp) return reply.redirect(`/connections/callback${request.url.slice(OAUTH_CALLBACK_PATH.length)}`);
    const query = request.query as Record<string, unknown>;
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name]).slice(0, 2000) : '');
    const [code, state, error, description] = [text('code'), text('state'), text('error'), text('error_description')];
    const body = error
      ? `<h1>The platform did not connect the account</h1><p>${escapeHtml(error)}${description ? `: ${escapeHtml(description)}` : ''}</p>`
      : code && state
        ? `<h1>Almost connected</h1><p>Finish with this mutation, logged in as the person who started:</p>
<pre>mutation {
  completePlatformConnection(input: { state: ${escapeHtml(JSON.stringify(state))}, code: ${escapeHtml(JSON.stringify(code))} }) {
    id provider accountName health sandbox
  }
}</pre><p>The state works once and for ten minutes.</p>`
        : `<h1>Nothing to connect</h1><p>This page expects the code and state a platform sends back after consent.</p>`;
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .status(error || !(code && state) ? 400 : 200)
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Platform connection</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head><body>${body}</body></html>`);
  });
}

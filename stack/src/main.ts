import '@umt/infra/register-telemetry'; // first: instrumentations patch only modules loaded after it
import { ConfigError, exitGracefully, exitOnConfigError } from '@umt/infra';
import { startStack } from './index';

async function main(): Promise<void> {
  // `npm start -- --sandbox`: fake providers on loopback, so accounts can be connected with no real platform.
  if (process.argv.includes('--sandbox')) process.env.INTEGRATIONS_SANDBOX = 'true';
  const stack = await startStack().catch((error: unknown) => {
    if (error instanceof ConfigError) exitOnConfigError(() => { throw error; });
    throw error;
  });
  exitGracefully(stack, (message) => process.stdout.write(`${message}\n`));
  process.stdout.write(
    `\nUltimate Marketing Team is running.\n  Web app: ${stack.url.replace(/\/graphql$/, '/')}\n  GraphQL endpoint and Apollo Sandbox: ${stack.url}\n  Subgraphs: ${Object.entries(stack.subgraphUrls)
      .map(([name, url]) => `${name} ${url}`)
      .join(', ')}\n  Database: ${stack.database.kind}\n${
      stack.sandbox
        ? `  Sandbox providers (fakes, not real accounts): ${Object.entries(stack.sandbox.providers)
            .map(([id, fake]) => `${id} ${fake.server.url}`)
            .join(', ')}\n`
        : '  Platform providers: real ones only, as configured (start with --sandbox for fake accounts)\n'
    }Press Ctrl+C to stop.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import '@umt/infra/register-telemetry'; // first: instrumentations patch only modules loaded after it
import { ConfigError, exitGracefully, exitOnConfigError } from '@umt/infra';
import { startStack } from './index';

async function main(): Promise<void> {
  const stack = await startStack().catch((error: unknown) => {
    if (error instanceof ConfigError) exitOnConfigError(() => { throw error; });
    throw error;
  });
  exitGracefully(stack, (message) => process.stdout.write(`${message}\n`));
  process.stdout.write(
    `\nUltimate Marketing Team is running.\n  GraphQL endpoint and Apollo Sandbox: ${stack.url}\n  Subgraphs: ${Object.entries(stack.subgraphUrls)
      .map(([name, url]) => `${name} ${url}`)
      .join(', ')}\n  Database: ${stack.database.kind}\nPress Ctrl+C to stop.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

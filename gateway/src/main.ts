import '@umt/infra/register-telemetry'; // first: instrumentations patch only modules loaded after it
import { exitGracefully, exitOnConfigError } from '@umt/infra';
import { readGatewayConfig } from './config';
import { createGateway } from './server';

const config = exitOnConfigError(() => readGatewayConfig());
const gateway = createGateway(config);
exitGracefully(gateway, (message) => gateway.app.log.info(message));
gateway.start().catch((error: unknown) => {
  gateway.app.log.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
});

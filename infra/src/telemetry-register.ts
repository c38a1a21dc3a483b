/**
 * Import this first in an entry point (`import '@umt/infra/register-telemetry'`). The service name comes from
 * OTEL_SERVICE_NAME, else from the package folder of the entry script (subgraphs/brand/dist/main.js → brand).
 */
import { basename, dirname } from 'node:path';
import { startTelemetry } from './telemetry';

startTelemetry(basename(dirname(dirname(process.argv[1] ?? 'umt/dist/main.js'))));

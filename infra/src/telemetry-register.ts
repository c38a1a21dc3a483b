/**
 * Import this first in an entry point (`import '@umt/infra/register-telemetry'`). The service name comes from
 * OTEL_SERVICE_NAME, else from the package folder of the entry script (subgraphs/brand/dist/main.js → brand).
 * A bad tracing variable (OTEL_TRACES_SAMPLER_ARG, OTEL_GRAPHQL_*) stops the process like any other (exit 78).
 */
import { basename, dirname } from 'node:path';
import { exitOnConfigError } from './config';
import { startTelemetry } from './telemetry';

exitOnConfigError(() => startTelemetry(basename(dirname(dirname(process.argv[1] ?? 'umt/dist/main.js')))));

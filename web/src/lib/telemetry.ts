import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, WebTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-web';
import type { AppConfig } from './config';

const tracer = () => trace.getTracer('umt-web');

/**
 * The browser's tracing: every user action is the root span of its trace; the GraphQL operations it causes are its
 * children, and the fetch instrumentation sends `traceparent` with each request, so the gateway, the resolvers, the
 * events and the consumers' SQL join the page's trace. Spans are exported over OTLP/HTTP when the gateway's
 * configuration names an endpoint, and kept in the page otherwise (the header still carries the trace).
 */
export function startTelemetry(config: AppConfig): void {
  const spanProcessors: SpanProcessor[] = [];
  if (config.otlpTracesEndpoint) spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: config.otlpTracesEndpoint }), { scheduledDelayMillis: 500 }));
  const provider = new WebTracerProvider({ resource: resourceFromAttributes({ 'service.name': config.serviceName }), spanProcessors });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new FetchInstrumentation({
        // Same-origin requests always get the header; the gateway is same-origin when it serves the app.
        propagateTraceHeaderCorsUrls: [new RegExp(`^${escapeRegExp(window.location.origin)}`)],
        ignoreUrls: config.otlpTracesEndpoint ? [config.otlpTracesEndpoint, /\/app-config\.json$/] : [/\/app-config\.json$/],
      }),
    ],
  });
  window.addEventListener('pagehide', () => void provider.forceFlush());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The context of the user action in progress, for the GraphQL operations it starts. */
let currentAction: Context | undefined;

/**
 * Runs one user action (a click, a submitted form) as a root span named `name`; the GraphQL operations started while
 * it runs are its children.
 */
export async function userAction<T>(name: string, run: () => Promise<T>): Promise<T> {
  const span = tracer().startSpan(name, { kind: SpanKind.INTERNAL, root: true, attributes: { 'umt.page': window.location.pathname } });
  const previous = currentAction;
  currentAction = trace.setSpan(context.active(), span);
  try {
    const result = await run();
    span.setStatus({ code: SpanStatusCode.OK });
    return result;
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    currentAction = previous;
    span.end();
  }
}

/** A span for one GraphQL operation: a child of the action in progress, or a root of its own (a page's query). */
export function operationSpan(operationName: string): { span: Span; context: Context } {
  const parent = currentAction ?? context.active();
  const span = tracer().startSpan(`graphql ${operationName}`, { kind: SpanKind.CLIENT, root: !currentAction, attributes: { 'graphql.operation.name': operationName } }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** The `traceparent` a context would send (for code that fetches without the instrumentation). */
export function traceHeaders(ctx: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

import { context, propagation, ROOT_CONTEXT, SpanStatusCode, type SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { EventEnvelope } from './envelope';

/** The backbone's spans come from the global tracer: whatever SDK the process started (or none) records them. */
export const EVENTS_TRACER_NAME = 'umt-events';

export function eventsTracer() {
  return trace.getTracer(EVENTS_TRACER_NAME);
}

/** W3C carrier (traceparent, tracestate) of a context. */
export function injectTraceContext(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The context a carrier describes, on top of the root (not of whatever happens to be active). */
export function extractTraceContext(carrier: Record<string, string> | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, carrier ?? {});
}

/** Messaging semantic conventions (RabbitMQ flavour) shared by publish and process spans. */
export function messagingAttributes(
  system: string,
  exchange: string,
  envelope: EventEnvelope,
  operation: 'send' | 'process',
): Attributes {
  return {
    'messaging.system': system,
    'messaging.destination.name': exchange,
    'messaging.rabbitmq.destination.routing_key': envelope.type,
    'messaging.message.id': envelope.id,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation === 'send' ? 'publish' : 'process',
    'umt.event.source': envelope.source,
  };
}

/** Runs `fn` in a new active span, ending it and recording a thrown error. */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes: Attributes; parent: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return eventsTracer().startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, options.parent, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}


package dev.tollgate.pipeline;

/**
 * Watches each request from the moment it enters the pipeline to its ledger row, from outside the
 * stages — e.g. an OpenTelemetry span per request. It may add headers for the upstream call
 * ({@link Exchange#upstreamHeaders()}, e.g. the W3C trace context). {@link #OFF} does nothing, so
 * a gateway without tracing pays nothing for it.
 */
public interface RequestTracing {

  /** Called once, before the first stage runs; returns what to tell when the request is recorded. */
  Trace begin(Exchange x);

  /** One request's trace. */
  interface Trace {
    /** Called once, after the request's ledger row is handed over: every field of the exchange is final. */
    void end(Exchange x);

    Trace NONE = x -> { };
  }

  RequestTracing OFF = x -> Trace.NONE;

  /** Both, in this order; {@link #OFF} parts are left out. */
  static RequestTracing both(RequestTracing first, RequestTracing second) {
    if (first == OFF) return second;
    if (second == OFF) return first;
    return x -> {
      Trace a = first.begin(x);
      Trace b = second.begin(x);
      return done -> {
        try {
          a.end(done);
        } finally {
          b.end(done);
        }
      };
    };
  }
}

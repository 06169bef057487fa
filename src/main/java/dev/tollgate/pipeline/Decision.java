package dev.tollgate.pipeline;

/** What a stage decided: go on to the next stage, stop here with a reason, or say later. */
public sealed interface Decision {

  Decision CONTINUE = new Continue();

  static Decision stop(GatewayError error) {
    return new Stop(error);
  }

  record Continue() implements Decision {}

  record Stop(GatewayError error) implements Decision {}

  /** Decided later (e.g. after a round trip to a counter store); the pipeline resumes on the request's event loop. */
  record Later(java.util.concurrent.CompletionStage<Decision> decision) implements Decision {}

  static Decision later(java.util.concurrent.CompletionStage<Decision> decision) {
    return new Later(decision);
  }
}

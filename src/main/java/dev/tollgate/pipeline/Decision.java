package dev.tollgate.pipeline;

/**
 * What a stage decided: go on to the next stage, stop here with a reason, answer here without a
 * provider call (a cache hit), or say later.
 */
public sealed interface Decision {

  Decision CONTINUE = new Continue();

  static Decision stop(GatewayError error) {
    return new Stop(error);
  }

  record Continue() implements Decision {}

  record Stop(GatewayError error) implements Decision {}

  /** Answered without calling a provider: the stages after this one do not run. */
  record Answer(Reply reply) implements Decision {}

  static Decision answer(Reply reply) {
    return new Answer(reply);
  }

  /** Decided later (e.g. after a round trip to a counter store); the pipeline resumes on the request's event loop. */
  record Later(java.util.concurrent.CompletionStage<Decision> decision) implements Decision {}

  static Decision later(java.util.concurrent.CompletionStage<Decision> decision) {
    return new Later(decision);
  }
}

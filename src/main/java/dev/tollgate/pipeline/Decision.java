package dev.tollgate.pipeline;

/** What a stage decided: go on to the next stage, or stop here with a reason. */
public sealed interface Decision {

  Decision CONTINUE = new Continue();

  static Decision stop(GatewayError error) {
    return new Stop(error);
  }

  record Continue() implements Decision {}

  record Stop(GatewayError error) implements Decision {}
}

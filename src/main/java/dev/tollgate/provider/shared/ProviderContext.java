package dev.tollgate.provider.shared;

import dev.tollgate.port.UpstreamEvents;
import java.time.Clock;

/** What every network adapter is given besides its config: the clock credential cool-downs run on, and where to report. */
public record ProviderContext(Clock clock, UpstreamEvents events) {

  public static final ProviderContext SYSTEM = new ProviderContext(Clock.systemUTC(), UpstreamEvents.NONE);
}

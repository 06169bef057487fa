package dev.tollgate.store.memory;

import dev.tollgate.port.CounterStore;
import dev.tollgate.store.CounterStoreContract;

/** The counter protocol on the in-memory store of a single gateway. */
class MemoryCounterStoreTest extends CounterStoreContract {

  @Override
  protected CounterStore open() {
    return new MemoryCounterStore();
  }
}

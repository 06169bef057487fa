/** Rules for failed upstream calls: retries with backoff, and circuit breakers per deployment. */
package dev.tollgate.domain.resilience;

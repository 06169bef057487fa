/**
 * Input guardrails: finding sensitive data in a prompt and hiding it behind placeholders.
 *
 * <p>How a scan works. Each {@link dev.tollgate.domain.guard.Detector} looks for one {@link
 * dev.tollgate.domain.guard.FindingType}. None of them runs a regular expression over the whole text:
 * each finds cheap anchors first ({@code indexOf('@')} for e-mails, {@code "-----BEGIN "} for private
 * keys, a digit or {@code +} that starts a token for numbers, a known prefix for API keys), then reads
 * a bounded number of characters forward by hand and validates what it read (Luhn, mod-97, the SSN
 * area rules, the phone groupings). Nothing backtracks further than a few dozen characters, so a scan
 * is linear in the length of the prompt whatever its content. The {@link
 * dev.tollgate.domain.guard.Scanner} merges what the detectors found: where two findings overlap the
 * longer one wins, so a private-key block hides everything inside it.
 *
 * <p>Redaction. The {@link dev.tollgate.domain.guard.Redactor} swaps each finding for a placeholder
 * such as {@code [EMAIL_1]} and returns a {@link dev.tollgate.domain.guard.RedactionMap} that can put
 * the originals back into the answer — only for the types its policy allows to come back, and it does
 * not even keep the values of the others. Nothing in this package prints a found value in {@code
 * toString()}.
 *
 * <p>Pure Java: no library, no I/O, every type immutable or confined to one request.
 */
package dev.tollgate.domain.guard;

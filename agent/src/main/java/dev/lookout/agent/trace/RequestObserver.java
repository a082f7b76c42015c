package dev.lookout.agent.trace;

import dev.lookout.agent.record.SpanRecord;

/**
 * Something that follows each recorded request, such as the I/O accounting. {@link #started} runs on
 * the request thread right after the request became current; {@link #ending} runs just before the
 * record is submitted (for async requests possibly on another thread). An observer keeps its state
 * in the record (its own field there), so following a request allocates nothing. Both must be cheap
 * and must not throw.
 */
public interface RequestObserver {

  void started(SpanRecord record);

  void ending(SpanRecord record);
}

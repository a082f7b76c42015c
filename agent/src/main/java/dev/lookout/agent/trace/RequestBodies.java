package dev.lookout.agent.trace;

/** The request and response body of one request in flight, and what is known about them. */
final class RequestBodies {

  final BodyTee request;
  final BodyTee response;
  /** What {@code getWriter()} returned: writes to other writers are not the response body. */
  volatile Object writer;
  volatile String requestType;
  volatile String responseType;

  RequestBodies(int cap) {
    request = new BodyTee(cap);
    response = new BodyTee(cap);
  }
}

package dev.lookout.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Method matchers on parameter and return types, compared by name. ByteBuddy's matchers that take a
 * {@code Class} describe it at once, and the first such description initializes ByteBuddy's type model
 * (~50 ms of the main thread at premain, most of the rules' cost); a name is compared only when a method
 * is matched, which a start whose classes come from the {@link WeaveCache} never does.
 */
public final class Signatures {

  private Signatures() {}

  /** Methods whose parameters are exactly {@code types}, in this order. */
  public static ElementMatcher.Junction<MethodDescription> takes(Class<?>... types) {
    ElementMatcher.Junction<MethodDescription> matcher = takesArguments(types.length);
    for (int i = 0; i < types.length; i++) {
      matcher = matcher.and(takesArgument(i, named(types[i].getTypeName())));
    }
    return matcher;
  }

  /** Methods whose parameter {@code index} is of type {@code type}. */
  public static ElementMatcher.Junction<MethodDescription> takesAt(int index, Class<?> type) {
    return takesArgument(index, named(type.getTypeName()));
  }

  /** Methods that return {@code type} (a primitive: {@code long.class}). */
  public static ElementMatcher.Junction<MethodDescription> returnsType(Class<?> type) {
    return returns(named(type.getTypeName()));
  }
}

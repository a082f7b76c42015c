package dev.lookout.protocol;

/** Resource attributes the agent sets and the collector groups by. */
public final class ResourceAttributes {

  public static final String SERVICE_NAME = "service.name";
  public static final String SERVICE_INSTANCE_ID = "service.instance.id";

  private ResourceAttributes() {}
}

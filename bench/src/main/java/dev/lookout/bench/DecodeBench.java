package dev.lookout.bench;

import java.lang.reflect.Method;
import java.util.SplittableRandom;

/** Decode + map pre-encoded agent-shaped span exports in a loop; ns per span. */
public final class DecodeBench {
  public static void main(String[] a) throws Exception {
    int batch = 512;
    PreEncoded pre = new PreEncoded(PreEncoded.Signal.SPANS, batch);
    SplittableRandom r = new SplittableRandom(7);
    int nb = 64;
    byte[][] bodies = new byte[nb][];
    for (int i = 0; i < nb; i++) {
      bodies[i] = pre.body(r, (long) i * batch, batch, 5_000_000L, 1_700_000_000_000L).bytes();
    }
    Class<?> c = Class.forName("dev.lookout.collector.ingest.ProtobufTraces");
    Method read = c.getDeclaredMethod("read", byte[].class);
    read.setAccessible(true);
    int rounds = Integer.parseInt(a.length > 0 ? a[0] : "12");
    long sink = 0;
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      int iters = 60;
      for (int k = 0; k < iters; k++) {
        for (byte[] b : bodies) {
          Object res = read.invoke(null, (Object) b);
          sink += System.identityHashCode(res);
        }
      }
      long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
      long spans = (long) iters * nb * batch;
      System.out.printf("round %d: %.1f ns/span wall, %.1f ns/span cpu%n", round, (System.nanoTime() - t0) / (double) spans, cpu / (double) spans);
    }
    System.out.println(sink == 42 ? "x" : "");
  }
}

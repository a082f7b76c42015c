package dev.lookout.collector.store;

/** What every stored record has: the id the writer gave it and the service that sent it. */
public interface StoredRecord {

  long id();

  String service();
}

package dev.lookout.collector.store.write;

import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.StoredRecord;
import java.util.List;

/** Told, on the writer's thread right after each commit, the rows of one kind it stored; must not block. */
@FunctionalInterface
public interface CommitListener {

  void committed(RecordKind kind, List<? extends StoredRecord> rows);
}

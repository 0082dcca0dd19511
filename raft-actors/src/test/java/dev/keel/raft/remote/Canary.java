package dev.keel.raft.remote;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * A class no serializer may ever create from the wire: initializing it, constructing it or
 * deserializing it (Java serialization) is recorded by {@link CanaryWitness}. Tests name it only as
 * a string, never load it themselves (except to check the witness works).
 */
@SuppressWarnings("unused") // created reflectively, if at all
final class Canary implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  static {
    CanaryWitness.record("class initialized");
  }

  Canary() {
    CanaryWitness.record("constructed");
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    CanaryWitness.record("deserialized");
    in.defaultReadObject();
  }
}

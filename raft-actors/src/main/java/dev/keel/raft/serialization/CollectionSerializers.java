package dev.keel.raft.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Collections as {@code varint(size)} followed by each element (and value) written with its class.
 * Every collection class has its own registration and rebuilds an instance of the same kind: the
 * JDK's immutable collections ({@code List.of}, {@code List.copyOf}, {@code Stream.toList}, {@code
 * Set.of}, {@code Map.of}) come back immutable, unmodifiable views come back unmodifiable, mutable
 * collections come back mutable. Sizes read from the wire are checked against the bytes left (every
 * element takes at least one byte) before anything is allocated.
 */
final class CollectionSerializers {

  private CollectionSerializers() {}

  /** {@code ArrayList}. */
  static Serializer<Collection<?>> arrayList() {
    return new BoundedCollectionSerializer(a -> new ArrayList<>(Arrays.asList(a)));
  }

  /** {@code LinkedList}. */
  // A user's LinkedList comes back a LinkedList.
  @SuppressWarnings("JdkObsolete")
  static Serializer<Collection<?>> linkedList() {
    return new BoundedCollectionSerializer(a -> new LinkedList<>(Arrays.asList(a)));
  }

  /** {@code HashSet}. */
  static Serializer<Collection<?>> hashSet() {
    return new BoundedCollectionSerializer(a -> new HashSet<>(Arrays.asList(a)));
  }

  /** {@code LinkedHashSet}, iteration order kept. */
  static Serializer<Collection<?>> linkedHashSet() {
    return new BoundedCollectionSerializer(a -> new LinkedHashSet<>(Arrays.asList(a)));
  }

  /**
   * The JDK's immutable lists. {@code Stream.toList()} may hold nulls, which {@code List.of}
   * refuses: such a list comes back as an unmodifiable list.
   */
  static Serializer<Collection<?>> immutableList() {
    return new BoundedCollectionSerializer(
        a ->
            Arrays.stream(a).anyMatch(Objects::isNull)
                ? Collections.unmodifiableList(Arrays.asList(a))
                : List.of(a));
  }

  /** The JDK's immutable sets. */
  static Serializer<Collection<?>> immutableSet() {
    return new BoundedCollectionSerializer(Set::of);
  }

  /** {@code Collections.unmodifiableList} views, over a copy. */
  static Serializer<Collection<?>> unmodifiableList() {
    return new BoundedCollectionSerializer(
        a -> Collections.unmodifiableList(new ArrayList<>(Arrays.asList(a))));
  }

  /** {@code Collections.unmodifiableSet} views, over a copy that keeps the iteration order. */
  static Serializer<Collection<?>> unmodifiableSet() {
    return new BoundedCollectionSerializer(
        a -> Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(a))));
  }

  /** {@code Arrays.asList}. */
  static Serializer<Collection<?>> arraysAsList() {
    return new BoundedCollectionSerializer(Arrays::asList);
  }

  /** {@code Collections.emptyList()}. */
  static Serializer<Collection<?>> emptyList() {
    return new BoundedCollectionSerializer(a -> sized(0, a, Collections.emptyList()));
  }

  /** {@code Collections.emptySet()}. */
  static Serializer<Collection<?>> emptySet() {
    return new BoundedCollectionSerializer(a -> sized(0, a, Collections.emptySet()));
  }

  /** {@code Collections.singletonList(e)}. */
  static Serializer<Collection<?>> singletonList() {
    return new BoundedCollectionSerializer(a -> Collections.singletonList(sized(1, a, a)[0]));
  }

  /** {@code Collections.singleton(e)}. */
  static Serializer<Collection<?>> singletonSet() {
    return new BoundedCollectionSerializer(a -> Collections.singleton(sized(1, a, a)[0]));
  }

  /** {@code HashMap}. */
  static Serializer<Map<?, ?>> hashMap() {
    return new BoundedMapSerializer((k, v) -> fill(new HashMap<>(capacity(k.length)), k, v));
  }

  /** {@code LinkedHashMap}, iteration order kept. */
  static Serializer<Map<?, ?>> linkedHashMap() {
    return new BoundedMapSerializer((k, v) -> fill(new LinkedHashMap<>(capacity(k.length)), k, v));
  }

  /** The JDK's immutable maps ({@code Map.of}, {@code Map.copyOf}). */
  static Serializer<Map<?, ?>> immutableMap() {
    return new BoundedMapSerializer(
        (k, v) -> Map.copyOf(fill(new HashMap<>(capacity(k.length)), k, v)));
  }

  /** {@code Collections.unmodifiableMap} views, over a copy that keeps the iteration order. */
  static Serializer<Map<?, ?>> unmodifiableMap() {
    return new BoundedMapSerializer(
        (k, v) -> Collections.unmodifiableMap(fill(new LinkedHashMap<>(capacity(k.length)), k, v)));
  }

  /** {@code Collections.emptyMap()}. */
  static Serializer<Map<?, ?>> emptyMap() {
    return new BoundedMapSerializer((k, v) -> sized(0, k, Collections.emptyMap()));
  }

  /** {@code Collections.singletonMap(k, v)}. */
  static Serializer<Map<?, ?>> singletonMap() {
    return new BoundedMapSerializer((k, v) -> Collections.singletonMap(sized(1, k, k)[0], v[0]));
  }

  private static <T> T sized(int size, Object[] elements, T result) {
    if (elements.length != size) {
      throw new KryoException(
          "Malformed frame: a collection of exactly "
              + size
              + " elements arrived with "
              + elements.length);
    }
    return result;
  }

  private static int capacity(int size) {
    return (int) Math.min(Integer.MAX_VALUE, size * 4L / 3 + 1);
  }

  private static <M extends Map<Object, Object>> M fill(M map, Object[] keys, Object[] values) {
    for (int i = 0; i < keys.length; i++) {
      map.put(keys[i], values[i]);
    }
    return map;
  }

  /** A collection: its size, then each element with its class. */
  static final class BoundedCollectionSerializer extends Serializer<Collection<?>> {
    private final Function<Object[], Collection<?>> factory;

    BoundedCollectionSerializer(Function<Object[], Collection<?>> factory) {
      super(false, true);
      this.factory = factory;
    }

    @Override
    public void write(Kryo kryo, Output output, Collection<?> collection) {
      output.writeVarInt(collection.size(), true);
      for (Object element : collection) {
        kryo.writeClassAndObject(output, element);
      }
    }

    @Override
    public Collection<?> read(Kryo kryo, Input input, Class<? extends Collection<?>> type) {
      Object[] elements = new Object[Wire.readCount(input, 1, "collection size")];
      for (int i = 0; i < elements.length; i++) {
        elements[i] = kryo.readClassAndObject(input);
      }
      return factory.apply(elements);
    }
  }

  /** A map: its size, then each key and value with their classes. */
  static final class BoundedMapSerializer extends Serializer<Map<?, ?>> {
    private final BiFunction<Object[], Object[], Map<?, ?>> factory;

    BoundedMapSerializer(BiFunction<Object[], Object[], Map<?, ?>> factory) {
      super(false, true);
      this.factory = factory;
    }

    @Override
    public void write(Kryo kryo, Output output, Map<?, ?> map) {
      output.writeVarInt(map.size(), true);
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        kryo.writeClassAndObject(output, entry.getKey());
        kryo.writeClassAndObject(output, entry.getValue());
      }
    }

    @Override
    public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
      int size = Wire.readCount(input, 2, "map size");
      Object[] keys = new Object[size];
      Object[] values = new Object[size];
      for (int i = 0; i < size; i++) {
        keys[i] = kryo.readClassAndObject(input);
        values[i] = kryo.readClassAndObject(input);
      }
      return factory.apply(keys, values);
    }
  }
}

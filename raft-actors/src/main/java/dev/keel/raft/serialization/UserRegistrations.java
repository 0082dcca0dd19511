package dev.keel.raft.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.ConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the user's registrations from {@value #PATH}: class name to id, for example {@code
 * keel.serialization.kryo.registrations { "com.acme.Put" = 1000 }}. Every problem is reported at
 * once, in one {@link ConfigurationException} that names the setting.
 */
final class UserRegistrations {

  /** Where the user's registrations live. */
  static final String PATH = "keel.serialization.kryo.registrations";

  private UserRegistrations() {}

  /**
   * The user's registrations, in id order.
   *
   * @param config the actor system's configuration
   * @param classLoader loads the named classes
   * @param keel Keel's own registrations, which the user's may not collide with
   * @throws ConfigurationException naming {@value #PATH} and every invalid entry
   */
  static List<KryoRegistration> fromConfig(
      Config config, ClassLoader classLoader, List<KryoRegistration> keel) {
    if (!config.hasPath(PATH)) {
      return List.of();
    }
    ConfigObject entries;
    try {
      entries = config.getObject(PATH);
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigurationException(
          PATH + " must be an object of class names to ids: " + e.getMessage(), e);
    }
    Map<Class<?>, Integer> keelIds = new HashMap<>();
    keel.forEach(r -> keelIds.put(r.type(), r.id()));
    List<String> problems = new ArrayList<>();
    Map<Integer, String> namesById = new TreeMap<>();
    List<KryoRegistration> registrations = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : new TreeMap<>(entries).entrySet()) {
      String className = entry.getKey();
      Integer id = readId(className, entry.getValue(), problems);
      Class<?> type = loadClass(className, classLoader, keelIds, problems);
      if (id == null || type == null) {
        continue;
      }
      String previous = namesById.putIfAbsent(id, className);
      if (previous != null) {
        problems.add(
            "id " + id + " is given to both \"" + previous + "\" and \"" + className + "\"");
        continue;
      }
      registrations.add(KryoRegistration.kryoDefault(id, type));
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(
          "Invalid "
              + PATH
              + " (class name = id, ids from "
              + KeelRegistrations.FIRST_USER_ID
              + " up, the same on every node):\n  - "
              + String.join("\n  - ", problems));
    }
    registrations.sort(Comparator.comparingInt(KryoRegistration::id));
    return List.copyOf(registrations);
  }

  private static @Nullable Integer readId(
      String className, ConfigValue value, List<String> problems) {
    String entry = "\"" + className + "\"";
    if (value.valueType() == ConfigValueType.OBJECT) {
      problems.add(
          entry
              + " is not a class name: quote class names, e.g. \"com.acme.Put\" = "
              + KeelRegistrations.FIRST_USER_ID);
      return null;
    }
    Object raw = value.unwrapped();
    if (value.valueType() != ConfigValueType.NUMBER
        || !(raw instanceof Integer || raw instanceof Long)) {
      problems.add(entry + " = " + value.render() + ": the id must be a whole number");
      return null;
    }
    long id = ((Number) raw).longValue();
    if (id < KeelRegistrations.FIRST_USER_ID || id > KeelRegistrations.LAST_USER_ID) {
      problems.add(
          entry
              + " = "
              + id
              + ": ids below "
              + KeelRegistrations.FIRST_USER_ID
              + " are reserved for Keel; use "
              + KeelRegistrations.FIRST_USER_ID
              + " to "
              + KeelRegistrations.LAST_USER_ID);
      return null;
    }
    return (int) id;
  }

  private static @Nullable Class<?> loadClass(
      String className,
      ClassLoader classLoader,
      Map<Class<?>, Integer> keelIds,
      List<String> problems) {
    String entry = "\"" + className + "\"";
    Class<?> type;
    try {
      type = Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      problems.add(entry + ": class not found (nested classes are written Outer$Inner)");
      return null;
    }
    Integer keelId = keelIds.get(type);
    if (keelId != null) {
      problems.add(entry + " is already registered by Keel with id " + keelId + "; remove it");
      return null;
    }
    if (!type.isEnum()
        && !type.isArray()
        && (type.isInterface() || Modifier.isAbstract(type.getModifiers()))) {
      problems.add(
          entry
              + " is an interface or abstract class: register the concrete classes that are"
              + " sent");
      return null;
    }
    return type;
  }
}

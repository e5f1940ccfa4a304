package dev.qremote.features;

import io.cucumber.core.backend.ObjectFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Constructor injection for step classes, scoped to one scenario: a step class may take other glue or
 * state classes (such as {@link World}) in its only constructor, and every class gets one shared instance
 * per scenario. A dozen lines instead of a DI container.
 */
public final class ScenarioObjectFactory implements ObjectFactory {
    private final Set<Class<?>> glue = new HashSet<>();
    private final Map<Class<?>, Object> instances = new HashMap<>();

    @Override
    public void start() {
        instances.clear();
    }

    @Override
    public void stop() {
        instances.values().forEach(o -> {
            if (o instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + o.getClass().getSimpleName(), e);
                }
            }
        });
        instances.clear();
    }

    @Override
    public boolean addClass(Class<?> glueClass) {
        glue.add(glueClass);
        return true;
    }

    @Override
    public <T> T getInstance(Class<T> type) {
        Object existing = instances.get(type);
        if (existing != null) {
            return type.cast(existing);
        }
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            throw new IllegalStateException(type + " needs exactly one public constructor");
        }
        Constructor<?> constructor = constructors[0];
        Object[] args = new Object[constructor.getParameterCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = getInstance(constructor.getParameterTypes()[i]);
        }
        try {
            T created = type.cast(constructor.newInstance(args));
            instances.put(type, created);
            return created;
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }
}

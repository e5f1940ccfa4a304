package dev.qremote.features;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a container test can run here: a Docker engine answers and the local image it needs exists
 * (bench/containers/build installs the engine, starts it and makes the images; .ci/run calls it). Where not,
 * the test is aborted as a JUnit assumption whose reason is also printed, so a skipped run says why.
 */
final class ContainerEngine {
    private ContainerEngine() {
    }

    /** Aborts the calling test, with the reason on stderr, unless {@code image} can be run. */
    static void assumeImage(String image) {
        String reason = whyNot(image);
        if (reason != null) {
            System.err.println("containers: test skipped: " + reason);
            Assumptions.abort(reason);
        }
    }

    private static String whyNot(String image) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return "no Docker engine answers (bench/containers/build installs and starts one)";
        }
        try {
            DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
            return null;
        } catch (NotFoundException missing) {
            return "image " + image + " is missing (bench/containers/build makes it)";
        }
    }
}

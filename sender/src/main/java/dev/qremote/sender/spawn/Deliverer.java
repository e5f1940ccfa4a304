package dev.qremote.sender.spawn;

import dev.qremote.sender.delivery.DeliveryRequest;
import dev.qremote.sender.delivery.DeliveryResult;

/** What runs one delivery: the engine in production ({@code DeliveryEngine::deliver}), a stand-in in tests. */
@FunctionalInterface
interface Deliverer {
    DeliveryResult deliver(DeliveryRequest request);
}

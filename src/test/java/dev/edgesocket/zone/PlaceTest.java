package dev.edgesocket.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A place goes back once, whoever gives it back, and a transfer moves it without giving it back. */
class PlaceTest {

    @Test
    void releaseGivesBackOnce() {
        AtomicInteger givenBack = new AtomicInteger();
        Place place = Place.held(givenBack::incrementAndGet);
        assertTrue(place.isHeld());
        assertTrue(place.release());
        assertFalse(place.release(), "a second release gives nothing back");
        assertFalse(place.isHeld());
        assertEquals(1, givenBack.get());
    }

    @Test
    void transferMovesThePlaceToTheNewHolder() {
        AtomicInteger givenBack = new AtomicInteger();
        Place request = Place.held(givenBack::incrementAndGet);
        Place socket = request.transfer();
        assertFalse(request.isHeld());
        assertFalse(request.release(), "the request no longer holds the place");
        assertEquals(0, givenBack.get(), "a transfer gives nothing back");
        assertTrue(socket.isHeld());
        assertTrue(socket.release());
        assertEquals(1, givenBack.get());
        assertSame(Place.none(), request.transfer(), "an empty token transfers nothing");
    }

    @Test
    void noneHoldsNothing() {
        assertFalse(Place.none().isHeld());
        assertFalse(Place.none().release());
        assertSame(Place.none(), Place.none().transfer());
    }

    @Test
    void racingReleasesAndTransferGiveBackExactlyOnce() throws InterruptedException {
        for (int round = 0; round < 200; round++) {
            AtomicInteger givenBack = new AtomicInteger();
            Place place = Place.held(givenBack::incrementAndGet);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Place> moved = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 4; i++) {
                boolean transfer = i % 2 == 0;
                threads.add(Thread.startVirtualThread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (transfer) {
                        moved.add(place.transfer());
                    } else {
                        place.release();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            moved.forEach(Place::release);
            assertEquals(1, givenBack.get(), "round " + round);
        }
    }
}

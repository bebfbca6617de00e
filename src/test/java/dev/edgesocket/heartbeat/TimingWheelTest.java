package dev.edgesocket.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The wheel on its own: due entries come out once, at their second; removed ones never; nothing stays behind. */
class TimingWheelTest {

    @Test
    void entriesComeOutAtTheirSecondAndOnlyThen() {
        TimingWheel wheel = new TimingWheel(8, 0);
        TimingWheel.Entry early = new TimingWheel.Entry();
        TimingWheel.Entry late = new TimingWheel.Entry();
        TimingWheel.Entry nextTurn = new TimingWheel.Entry();
        wheel.add(early, 2);
        wheel.add(late, 5);
        wheel.add(nextTurn, 10); // same slot as 2, one turn later
        List<TimingWheel.Entry> out = new ArrayList<>();
        wheel.advance(1, out::add);
        assertEquals(List.of(), out);
        wheel.advance(2, out::add);
        assertEquals(List.of(early), out);
        wheel.advance(9, out::add);
        assertEquals(List.of(early, late), out);
        wheel.advance(10, out::add);
        assertEquals(List.of(early, late, nextTurn), out);
        assertEquals(0, wheel.size());
    }

    @Test
    void aLateTickCatchesUp() {
        TimingWheel wheel = new TimingWheel(8, 0);
        List<TimingWheel.Entry> out = new ArrayList<>();
        for (int s = 1; s <= 20; s++) {
            wheel.add(new TimingWheel.Entry(), s);
        }
        wheel.advance(30, out::add);
        assertEquals(20, out.size());
        assertEquals(0, wheel.size());
    }

    @Test
    void aMillionAddRemoveCyclesLeaveNothingBehindAndHandOutOnlyDueEntries() {
        TimingWheel wheel = new TimingWheel(256, 0);
        TimingWheel.Entry[] live = new TimingWheel.Entry[1000];
        long now = 0;
        long[] handedOut = {0};
        for (int i = 0; i < 1_000_000; i++) {
            int k = i % live.length;
            if (live[k] != null) {
                wheel.remove(live[k]);
            }
            live[k] = new TimingWheel.Entry();
            // Due from 1 s to 10 minutes ahead: many turns of the 256-slot wheel.
            wheel.add(live[k], now + 1 + (i % 600));
            if (i % 1000 == 999) {
                long second = ++now; // time only moves forward, one second per thousand cycles
                wheel.advance(second, e -> {
                    assertTrue(e.dueSecond <= second, "an entry due at " + e.dueSecond + " came out at " + second);
                    handedOut[0]++;
                });
            }
        }
        assertTrue(handedOut[0] > 0, "due entries were handed out as time passed");
        for (TimingWheel.Entry entry : live) {
            wheel.remove(entry);
        }
        assertEquals(0, wheel.size());
    }

    @Test
    void reAddingMovesAnEntryInsteadOfCopyingIt() {
        TimingWheel wheel = new TimingWheel(8, 0);
        TimingWheel.Entry entry = new TimingWheel.Entry();
        wheel.add(entry, 3);
        wheel.add(entry, 6);
        assertEquals(1, wheel.size());
        List<TimingWheel.Entry> out = new ArrayList<>();
        wheel.advance(5, out::add);
        assertEquals(List.of(), out);
        wheel.advance(6, out::add);
        assertEquals(List.of(entry), out);
    }
}
